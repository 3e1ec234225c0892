# Shared by scripts/ensure-*.sh: find a Debian-packaged program, install it with apt-get when
# running as root, otherwise say in one line what to install. Never a silent skip.
#
#   source "$(dirname "$0")/lib/debian.sh"
#   ensure_debian_program LABEL PATH_FUNCTION CHECK_FUNCTION "HINT" PACKAGE...
#
# PATH_FUNCTION prints the program's path (it is called again after installing, because the
# path may only exist then); CHECK_FUNCTION PATH exits 0 when the program there runs, and
# prints its version on stdout. Exit status 0 with "LABEL: PATH (VERSION)" on stdout, else 1
# with one "error: ..." line on stderr.

ensure_debian_program() {
    local label="$1" path_of="$2" check="$3" hint="$4"
    shift 4
    local program version
    program="$("$path_of")"
    if version="$("$check" "$program" 2>/dev/null)"; then
        echo "$label: $program ($version)"
        return 0
    fi
    if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "error: $label not found (looked for $program); $hint" >&2
        return 1
    fi
    echo "$label: not found, installing Debian's $* with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get update -qq || ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then
        echo "error: apt-get could not install $*; $hint" >&2
        return 1
    fi
    program="$("$path_of")"
    if version="$("$check" "$program" 2>/dev/null)"; then
        echo "$label: $program ($version)"
        return 0
    fi
    echo "error: apt-get installed $* but $program does not run; $hint" >&2
    return 1
}
