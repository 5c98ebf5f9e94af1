#!/usr/bin/env bash
# Installs Tollgate as a systemd service on a Linux VM (run as root from a source checkout):
#
#   scripts/install.sh                    install or upgrade (idempotent: a second run changes nothing)
#   scripts/install.sh --jar FILE         install this jar instead of target/tollgate.jar
#   scripts/install.sh --uninstall        remove the jar and the unit; keep config and the CA
#   DESTDIR=/tmp/root scripts/install.sh  install under a scratch root (packaging, tests):
#                                         no user is created, no chown, no systemctl
#
# What it installs:
#   /opt/tollgate/tollgate.jar                 the jar (replaced when it differs)
#   /etc/tollgate/tollgate.yaml, logback.xml,  copied from config/ only when absent: your edits stay
#     jvm.options
#   /etc/tollgate/certs/                       0700, owned by tollgate: the CA is created here on first start
#   /var/lib/tollgate/                         0750, owned by tollgate: the service's working directory
#   /etc/systemd/system/tollgate.service       from scripts/tollgate.service (replaced when it differs)
#   the system user tollgate                   (useradd --system, no home, no login shell)
#
# Then: systemctl enable --now tollgate; logs: journalctl -u tollgate.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd -- "$script_dir/.." && pwd -P)

DESTDIR=${DESTDIR:-}
user=tollgate
jar=
uninstall=false

usage() {
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
    echo "install.sh: $*" >&2
    exit 1
}

say() {
    echo "install.sh: $*"
}

while (($#)); do
    case $1 in
        --jar)
            (($# >= 2)) || die "--jar needs a file"
            jar=$2
            shift 2
            ;;
        --jar=*)
            jar=${1#--jar=}
            shift
            ;;
        --uninstall)
            uninstall=true
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            die "unknown argument: $1 (see --help)"
            ;;
    esac
done

opt_dir=$DESTDIR/opt/tollgate
etc_dir=$DESTDIR/etc/tollgate
certs_dir=$etc_dir/certs
state_dir=$DESTDIR/var/lib/tollgate
unit=$DESTDIR/etc/systemd/system/tollgate.service

# Whether this run may touch the real system: users, ownership, systemd.
real_system() {
    [[ -z $DESTDIR && $EUID -eq 0 ]]
}

systemd_running() {
    [[ -z $DESTDIR && -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1
}

# install_file SRC DST MODE: copies only when the content or the mode differs, so a second run
# leaves every file (and its modification time) as it was.
install_file() {
    local src=$1 dst=$2 mode=$3
    if [[ -f $dst ]] && cmp -s -- "$src" "$dst"; then
        if [[ $(stat -c %a -- "$dst") != "${mode#0}" ]]; then
            chmod "$mode" -- "$dst"
            say "mode of $dst set to $mode"
        fi
        return 0
    fi
    install -D -m "$mode" -- "$src" "$dst"
    say "installed $dst"
}

# install_if_absent SRC DST MODE: the operator's copy always wins.
install_if_absent() {
    local src=$1 dst=$2 mode=$3
    if [[ -e $dst ]]; then
        say "kept existing $dst"
        return 0
    fi
    install -D -m "$mode" -- "$src" "$dst"
    say "installed $dst (from ${src#"$root"/})"
}

# make_dir DIR MODE [OWNER]: creates or fixes mode (and owner when this is the real system).
make_dir() {
    local dir=$1 mode=$2 owner=${3:-}
    if [[ ! -d $dir ]]; then
        mkdir -p -- "$dir"
        say "created $dir"
    fi
    if [[ $(stat -c %a -- "$dir") != "${mode#0}" ]]; then
        chmod "$mode" -- "$dir"
    fi
    if [[ -n $owner ]] && real_system && [[ $(stat -c %U:%G -- "$dir") != "$owner" ]]; then
        chown "$owner" -- "$dir"
    fi
}

ensure_user() {
    if [[ -n $DESTDIR ]]; then
        say "DESTDIR is set: not creating the system user $user (create it on the target system)"
        return 0
    fi
    if [[ $EUID -ne 0 ]]; then
        say "not root: not creating the system user $user, and not changing owners"
        return 0
    fi
    if id -u "$user" >/dev/null 2>&1; then
        return 0
    fi
    useradd --system --no-create-home --home-dir /var/lib/tollgate --shell /usr/sbin/nologin "$user"
    say "created the system user $user"
}

# The jar: --jar FILE, else target/tollgate.jar, built (as scripts/tollgate does) when missing.
resolve_jar() {
    if [[ -n $jar ]]; then
        [[ -f $jar ]] || die "--jar $jar: no such file"
        return 0
    fi
    jar=$root/target/tollgate.jar
    if [[ ! -f $jar ]]; then
        command -v mvn >/dev/null 2>&1 \
            || die "$jar is missing and mvn (Maven) is not on PATH to build it; build it elsewhere and pass --jar FILE"
        say "building $jar"
        (cd -- "$root" && mvn -B -q -DskipTests package >&2) || die "build failed (run: mvn -B -DskipTests package)"
    fi
}

do_install() {
    resolve_jar
    ensure_user
    install_file "$jar" "$opt_dir/tollgate.jar" 0644
    make_dir "$etc_dir" 0755
    install_if_absent "$root/config/tollgate.yaml" "$etc_dir/tollgate.yaml" 0644
    install_if_absent "$root/config/logback.xml" "$etc_dir/logback.xml" 0644
    install_if_absent "$root/config/jvm.options" "$etc_dir/jvm.options" 0644
    # The CA key is written here: only the service user may read the directory.
    make_dir "$certs_dir" 0700 "$user:$user"
    make_dir "$state_dir" 0750 "$user:$user"
    local unit_changed=false
    if ! [[ -f $unit ]] || ! cmp -s -- "$script_dir/tollgate.service" "$unit"; then
        unit_changed=true
    fi
    install_file "$script_dir/tollgate.service" "$unit" 0644
    if systemd_running; then
        if $unit_changed; then
            systemctl daemon-reload
            say "systemctl daemon-reload done"
        fi
        say "start it: systemctl enable --now tollgate   (after an upgrade: systemctl restart tollgate)"
    else
        say "systemd is not running here (or DESTDIR is set): no daemon-reload"
    fi
    check_java
    say "done. Logs: journalctl -u tollgate. Config: $etc_dir/tollgate.yaml"
}

# The unit starts /usr/bin/java with the options of jvm.options, which an old JDK 17 may refuse
# at startup: say so now.
check_java() {
    if ! [[ -x /usr/bin/java ]]; then
        say "WARNING: /usr/bin/java not found; the unit needs a Java 17+ runtime there"
    elif ! /usr/bin/java "@$etc_dir/jvm.options" -version > /dev/null 2>&1; then
        say "WARNING: /usr/bin/java refuses the options in $etc_dir/jvm.options:"
        /usr/bin/java "@$etc_dir/jvm.options" -version 2>&1 | head -n 3 | sed 's/^/install.sh:   /' || true
        say "  (-XX:TrimNativeHeapInterval needs JDK 17.0.9+ or 21+): upgrade the JDK, or edit that file"
    fi
}

remove_file() {
    if [[ -e $1 ]]; then
        rm -f -- "$1"
        say "removed $1"
    fi
}

do_uninstall() {
    if systemd_running && [[ -f $unit ]]; then
        systemctl disable --now tollgate.service || true
    fi
    remove_file "$unit"
    remove_file "$opt_dir/tollgate.jar"
    rmdir -- "$opt_dir" 2>/dev/null || true
    rmdir -- "$state_dir" 2>/dev/null || true
    if systemd_running; then
        systemctl daemon-reload
    fi
    # Never delete a CA silently: clients trust it, and its key is a secret to destroy on purpose.
    if [[ -d $etc_dir ]]; then
        say "KEPT $certs_dir: the CA. Its key can impersonate any site to every client that"
        say "  trusts it, and those clients break if it is replaced, so it is never deleted silently."
        say "KEPT $etc_dir/tollgate.yaml, logback.xml and jvm.options (your config)."
        say "  When no client trusts this CA any more, remove both yourself: rm -r $etc_dir"
    fi
    if [[ -z $DESTDIR ]] && id -u "$user" >/dev/null 2>&1; then
        say "KEPT the system user $user (it owns the CA files); remove it with: userdel $user"
    fi
    say "uninstalled"
}

if $uninstall; then
    do_uninstall
else
    do_install
fi
