package org.memshare.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.memshare.registry.MemShare;

/**
 * The module exports only API: no {@code .internal} package is exported, and no public member of an
 * exported class mentions an internal type, so users never need what they cannot reach.
 */
class ModuleExportsTest {
    private static final Pattern EXPORTS = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private static Path classesRoot() throws URISyntaxException {
        return Path.of(MemShare.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<String> exportedPackages() throws IOException, URISyntaxException {
        Path moduleInfo = classesRoot().resolve("../../src/main/java/module-info.java").normalize();
        Matcher m = EXPORTS.matcher(Files.readString(moduleInfo));
        List<String> exported = new ArrayList<>();
        while (m.find()) {
            exported.add(m.group(1));
        }
        return exported;
    }

    @Test
    void noInternalPackageIsExported() throws Exception {
        List<String> exported = exportedPackages();
        assertTrue(exported.contains("org.memshare.registry"), exported.toString());
        assertEquals(List.of(), exported.stream().filter(p -> p.contains(".internal")).toList());
    }

    @Test
    void publicMembersOfExportedClassesMentionNoInternalType() throws Exception {
        List<String> exported = exportedPackages();
        Path root = classesRoot();
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (!exported.contains(type.getPackageName()) || !isVisible(type)) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    if (isVisible(method.getModifiers()) && !method.isSynthetic()) {
                        check(leaks, type, method, method.getGenericReturnType());
                        checkSignature(leaks, type, method);
                    }
                }
                for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                    if (isVisible(constructor.getModifiers())) {
                        checkSignature(leaks, type, constructor);
                    }
                }
                for (Field field : type.getDeclaredFields()) {
                    if (isVisible(field.getModifiers())) {
                        check(leaks, type, field, field.getGenericType());
                    }
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) && !Modifier.isProtected(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void checkSignature(List<String> leaks, Class<?> owner, Executable executable) {
        for (Type parameter : executable.getGenericParameterTypes()) {
            check(leaks, owner, executable, parameter);
        }
        for (Type thrown : executable.getGenericExceptionTypes()) {
            check(leaks, owner, executable, thrown);
        }
    }

    private static void check(List<String> leaks, Class<?> owner, Object member, Type type) {
        if (type.getTypeName().contains(".internal.")) {
            leaks.add(owner.getName() + ": " + member + " mentions " + type.getTypeName());
        }
    }
}
