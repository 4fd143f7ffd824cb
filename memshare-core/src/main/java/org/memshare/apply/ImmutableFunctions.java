package org.memshare.apply;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;

/**
 * Which functions may be serialized or deserialized once and reused across calls: those whose
 * state cannot change, so a copy made for an earlier call equals a fresh one. That is every
 * instance field, up the class hierarchy, final and of a primitive, boxed primitive or
 * {@code String} type: non-capturing lambdas, lambdas capturing flags and numbers, stateless
 * classes. Anything else (a captured array, list or object) is serialized and deserialized anew
 * for each call, as a fresh copy per call is the contract.
 *
 * <p>Per-call serialization of the function took a good part of a call's time while the object
 * streams are still interpreted (the first hundred calls of a fresh cluster).
 */
final class ImmutableFunctions {
    private static final Set<Class<?>> VALUE_TYPES = Set.of(String.class, Boolean.class, Byte.class, Character.class,
        Short.class, Integer.class, Long.class, Float.class, Double.class);

    private static final ClassValue<Boolean> IMMUTABLE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers)) {
                        continue;
                    }
                    if (!Modifier.isFinal(modifiers) || !(field.getType().isPrimitive() || VALUE_TYPES.contains(field.getType()))) {
                        return false;
                    }
                }
            }
            return true;
        }
    };

    private ImmutableFunctions() {
    }

    /** @return whether {@code function}'s state cannot change, so one copy serves every call */
    static boolean immutable(Object function) {
        return IMMUTABLE.get(function.getClass());
    }
}
