# Sourced by ./memshare, ./mvnw and scripts/test: sets JAVA_HOME to a JDK >= 25, or exits with advice.
# Looks at JAVA_HOME first, then the usual install locations.
memshare_java_major() {
    # The JDK's release file names its version without starting a JVM (this runs on every command).
    local version=""
    if [ -f "$1/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
    fi
    if [ -n "$version" ]; then
        printf '%s\n' "$version"
    else
        "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
    fi
}

memshare_find_jdk() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
        "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major=$(memshare_java_major "$candidate")
        case "$major" in ''|*[!0-9]*) continue ;; esac
        if [ "$major" -ge 25 ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

if ! JAVA_HOME=$(memshare_find_jdk); then
    echo "memshare: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm, /opt/java, ~/.sdkman)." >&2
    echo "memshare: install one (for example Eclipse Temurin 25) and set JAVA_HOME to it." >&2
    exit 1
fi
export JAVA_HOME
