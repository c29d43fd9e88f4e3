//! What each OS family ships in the files a Dockerfile commonly reads: its default users
//! and groups, `/etc/os-release`, its `/bin/sh`, and whether `/bin` and `/lib` are merged
//! into `/usr`. Sources: Debian's base-passwd (passwd.master, group.master, as installed on
//! Debian 12), Ubuntu's images (which add `ubuntu` from 23.04), alpine-baselayout-data 3.6+,
//! BusyBox's Buildroot skeleton, distroless's base files, and RHEL's `setup` package.

use super::{ImageFacts, OsFamily};

const DEBIAN_PASSWD: &str = "\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
";

/// Debian 12+ and Ubuntu 23.04+: `gnats` is gone and `_apt` has a fixed uid.
const DEBIAN_PASSWD_NEW: &str = "\
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
";

/// Debian 11, Ubuntu 20.04 and 22.04.
const DEBIAN_PASSWD_OLD: &str = "\
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
gnats:x:41:41:Gnats Bug-Reporting System (admin):/var/lib/gnats:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
_apt:x:100:65534::/nonexistent:/usr/sbin/nologin
";

const UBUNTU_USER: &str = "ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n";

const DEBIAN_GROUP: &str = "\
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
";

const DEBIAN_GROUP_OLD: &str = "gnats:x:41:\n";

const DEBIAN_GROUP_TAIL: &str = "\
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
";

const UBUNTU_GROUP: &str = "ubuntu:x:1000:\n";

const ALPINE_PASSWD: &str = "\
root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
";

const ALPINE_GROUP: &str = "\
root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin
adm:x:4:root,daemon
tty:x:5:
disk:x:6:root
lp:x:7:lp
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
cron:x:16:cron
console:x:17:
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
tape:x:26:root
video:x:27:root
netdev:x:28:
kvm:x:34:kvm
games:x:35:
shadow:x:42:
www-data:x:82:
users:x:100:games
ntp:x:123:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
";

const BUSYBOX_PASSWD: &str = "\
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
";

const BUSYBOX_GROUP: &str = "\
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nogroup:x:65534:
";

const DISTROLESS_PASSWD: &str = "\
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
";

const DISTROLESS_GROUP: &str = "\
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
";

const RHEL_PASSWD: &str = "\
root:x:0:0:root:/root:/bin/bash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/spool/mail:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
games:x:12:100:games:/usr/games:/sbin/nologin
ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin
nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin
";

const RHEL_GROUP: &str = "\
root:x:0:
bin:x:1:
daemon:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mem:x:8:
kmem:x:9:
wheel:x:10:
cdrom:x:11:
mail:x:12:
man:x:15:
dialout:x:18:
floppy:x:19:
games:x:20:
tape:x:33:
video:x:39:
ftp:x:50:
lock:x:54:
audio:x:63:
users:x:100:
nobody:x:65534:
";

fn version_at_least(v: Option<&str>, min: f64) -> bool {
    v.and_then(|v| {
        let mut it = v.split('.');
        let major = it.next()?;
        let minor = it.next().unwrap_or("0");
        format!("{major}.{minor}").parse::<f64>().ok()
    })
    .is_some_and(|n| n >= min)
}

/// Debian 12+ / Ubuntu 23.04+ dropped `gnats` and fixed `_apt` at uid 42.
fn new_base_passwd(f: &ImageFacts) -> bool {
    match f.os {
        OsFamily::Debian => version_at_least(f.os_version.as_deref(), 12.0),
        OsFamily::Ubuntu => version_at_least(f.os_version.as_deref(), 23.04),
        _ => true,
    }
}

/// The OS's own `/etc/passwd` (without the image's users).
pub(super) fn base_passwd(f: &ImageFacts) -> Option<String> {
    Some(match f.os {
        OsFamily::Debian | OsFamily::Ubuntu => {
            let mut s = DEBIAN_PASSWD.to_string();
            s.push_str(if new_base_passwd(f) {
                DEBIAN_PASSWD_NEW
            } else {
                DEBIAN_PASSWD_OLD
            });
            if f.os == OsFamily::Ubuntu && new_base_passwd(f) {
                s.push_str(UBUNTU_USER);
            }
            s
        }
        OsFamily::Alpine => ALPINE_PASSWD.into(),
        OsFamily::Busybox => BUSYBOX_PASSWD.into(),
        OsFamily::Distroless => DISTROLESS_PASSWD.into(),
        OsFamily::OracleLinux | OsFamily::AmazonLinux | OsFamily::Other => RHEL_PASSWD.into(),
        OsFamily::Scratch => return None,
    })
}

/// The OS's own `/etc/group`.
pub(super) fn base_group(f: &ImageFacts) -> Option<String> {
    Some(match f.os {
        OsFamily::Debian | OsFamily::Ubuntu => {
            let mut s = DEBIAN_GROUP.to_string();
            if !new_base_passwd(f) {
                s.push_str(DEBIAN_GROUP_OLD);
            }
            s.push_str(DEBIAN_GROUP_TAIL);
            if f.os == OsFamily::Ubuntu && new_base_passwd(f) {
                s.push_str(UBUNTU_GROUP);
            }
            s
        }
        OsFamily::Alpine => ALPINE_GROUP.into(),
        OsFamily::Busybox => BUSYBOX_GROUP.into(),
        OsFamily::Distroless => DISTROLESS_GROUP.into(),
        OsFamily::OracleLinux | OsFamily::AmazonLinux | OsFamily::Other => RHEL_GROUP.into(),
        OsFamily::Scratch => return None,
    })
}

/// `/bin`, `/sbin`, `/lib` are symlinks into `/usr` (Debian 12+, Ubuntu, RHEL-likes).
pub(super) fn merged_usr(f: &ImageFacts) -> bool {
    match f.os {
        OsFamily::Debian => {
            version_at_least(f.os_version.as_deref(), 12.0) || f.os_version.is_none()
        }
        OsFamily::Ubuntu | OsFamily::OracleLinux | OsFamily::AmazonLinux | OsFamily::Other => true,
        OsFamily::Alpine | OsFamily::Busybox | OsFamily::Distroless | OsFamily::Scratch => false,
    }
}

/// `/bin/sh`: (the path holding the link, its target) — `None` where there is no shell.
pub(super) fn shell_link(f: &ImageFacts) -> Option<(&'static str, &'static str)> {
    match f.os {
        // Alpine links to busybox by absolute path.
        OsFamily::Alpine => Some(("/bin/sh", "/bin/busybox")),
        // The BusyBox image hard-links its applets to /bin/busybox; shown as a symlink so
        // that the binary's bytes count once.
        OsFamily::Busybox => Some(("/bin/sh", "busybox")),
        OsFamily::Debian | OsFamily::Ubuntu if merged_usr(f) => Some(("/usr/bin/sh", "dash")),
        OsFamily::Debian | OsFamily::Ubuntu => Some(("/bin/sh", "dash")),
        OsFamily::OracleLinux | OsFamily::AmazonLinux | OsFamily::Other => {
            Some(("/usr/bin/sh", "bash"))
        }
        OsFamily::Distroless | OsFamily::Scratch => None,
    }
}

fn quoted(key: &str, value: &str) -> String {
    format!("{key}=\"{value}\"\n")
}

/// `/etc/os-release` (or `/usr/lib/os-release`, where `/etc`'s is a symlink to it).
/// Point releases are not in the catalog, so versions stop at what it knows.
pub(super) fn os_release(f: &ImageFacts) -> Option<String> {
    let version = f.os_version.as_deref().unwrap_or("");
    let codename = f.os_codename.as_deref().unwrap_or("");
    Some(match f.os {
        OsFamily::Alpine => {
            let minor: Vec<&str> = version.split('.').take(2).collect();
            format!(
                "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID={version}\n{}{}{}",
                quoted("PRETTY_NAME", &format!("Alpine Linux v{}", minor.join("."))),
                quoted("HOME_URL", "https://alpinelinux.org/"),
                quoted(
                    "BUG_REPORT_URL",
                    "https://gitlab.alpinelinux.org/alpine/aports/-/issues"
                ),
            )
        }
        OsFamily::Debian => format!(
            "{}{}{}{}VERSION_CODENAME={codename}\nID=debian\n{}{}{}",
            quoted(
                "PRETTY_NAME",
                &format!("Debian GNU/Linux {version} ({codename})")
            ),
            quoted("NAME", "Debian GNU/Linux"),
            quoted("VERSION_ID", version),
            quoted("VERSION", &format!("{version} ({codename})")),
            quoted("HOME_URL", "https://www.debian.org/"),
            quoted("SUPPORT_URL", "https://www.debian.org/support"),
            quoted("BUG_REPORT_URL", "https://bugs.debian.org/"),
        ),
        OsFamily::Ubuntu => {
            let lts = if version.ends_with(".04")
                && version
                    .split('.')
                    .next()
                    .and_then(|m| m.parse::<u32>().ok())
                    .is_some_and(|m| m % 2 == 0)
            {
                " LTS"
            } else {
                ""
            };
            format!(
                "{}{}{}{}VERSION_CODENAME={codename}\nID=ubuntu\nID_LIKE=debian\n{}{}{}UBUNTU_CODENAME={codename}\n",
                quoted("PRETTY_NAME", &format!("Ubuntu {version}{lts}")),
                quoted("NAME", "Ubuntu"),
                quoted("VERSION_ID", version),
                quoted("VERSION", &format!("{version}{lts}")),
                quoted("HOME_URL", "https://www.ubuntu.com/"),
                quoted("SUPPORT_URL", "https://help.ubuntu.com/"),
                quoted("BUG_REPORT_URL", "https://bugs.launchpad.net/ubuntu/"),
            )
        }
        OsFamily::Distroless => format!(
            "{}{}ID=\"debian\"\n{}",
            quoted("PRETTY_NAME", "Distroless"),
            quoted("NAME", "Debian GNU/Linux"),
            quoted(
                "HOME_URL",
                "https://github.com/GoogleContainerTools/distroless"
            ),
        ),
        OsFamily::OracleLinux => format!(
            "{}{}ID=\"ol\"\nID_LIKE=\"fedora\"\n{}",
            quoted("NAME", "Oracle Linux Server"),
            quoted("VERSION_ID", version),
            quoted("PRETTY_NAME", &format!("Oracle Linux Server {version}")),
        ),
        OsFamily::AmazonLinux => format!(
            "{}{}ID=\"amzn\"\nID_LIKE=\"fedora\"\n{}",
            quoted("NAME", "Amazon Linux"),
            quoted("VERSION_ID", version),
            quoted("PRETTY_NAME", &format!("Amazon Linux {version}")),
        ),
        // The BusyBox image has no os-release.
        OsFamily::Busybox | OsFamily::Other | OsFamily::Scratch => return None,
    })
}

/// Where os-release lives: Debian and Ubuntu keep it in /usr/lib with a symlink in /etc.
pub(super) fn os_release_in_usr_lib(f: &ImageFacts) -> bool {
    matches!(f.os, OsFamily::Debian | OsFamily::Ubuntu)
}
