//! The users and groups an image adds on top of its OS, read from the `groupadd`/`addgroup`/
//! `useradd`/`adduser`/`groupmod`/`usermod` commands in its layer history. The OS's own
//! users live in the core (`catalog::os`); this only finds what the image's Dockerfile added.
//!
//! Defaults follow the tool that ran: Debian's `useradd` (home `/home/<name>`, shell
//! `/bin/sh` from /etc/default/useradd, empty GECOS) and BusyBox's `adduser` on Alpine
//! (GECOS `Linux User,,,`, shell `/bin/sh`, `/sbin/nologin` for `-S` system users, group
//! `nogroup` for system users without `-G`, a home unless `-H`).

// The core reads these back from the catalog: the same types on both sides.
pub use stagecraft::catalog::{Group, User};

#[derive(Default, Debug)]
pub struct Accounts {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
}

/// OS groups a Dockerfile refers to by name without creating them.
fn os_group(os_family: &str, name: &str) -> Option<u32> {
    let alpine = os_family == "alpine";
    match name {
        "www-data" => Some(if alpine { 82 } else { 33 }),
        "nogroup" => Some(if alpine { 65533 } else { 65534 }),
        "users" => Some(100),
        _ => None,
    }
}

/// OS users a Dockerfile renames with `usermod --login` (gradle renames Ubuntu's `ubuntu`).
fn os_user(name: &str) -> Option<User> {
    match name {
        "ubuntu" => Some(User {
            name: "ubuntu".into(),
            uid: 1000,
            gid: 1000,
            gecos: "Ubuntu".into(),
            home: "/home/ubuntu".into(),
            shell: "/bin/bash".into(),
            home_created: true,
        }),
        _ => None,
    }
}

const TOOLS: &[&str] = &[
    "groupadd", "addgroup", "useradd", "adduser", "groupmod", "usermod",
];

pub fn parse<'a>(history: impl IntoIterator<Item = &'a str>, os_family: &str) -> Accounts {
    let mut acc = Accounts::default();
    for created_by in history {
        for command in commands(created_by) {
            // The tool may follow `RUN` or another prefix word.
            let Some(at) = command.iter().position(|w| TOOLS.contains(&w.as_str())) else {
                continue;
            };
            let (tool, args) = (&command[at], &command[at + 1..]);
            match tool.as_str() {
                "groupadd" | "addgroup" => acc.add_group(args, os_family),
                "useradd" => acc.useradd(args, os_family),
                "adduser" => acc.adduser(args, os_family),
                "groupmod" => acc.groupmod(args),
                "usermod" => acc.usermod(args),
                _ => {}
            }
        }
    }
    acc
}

/// The simple commands of a shell snippet as word lists, split at `&&`, `||`, `;`, `|`,
/// stopping at a `#` comment. Enough for docker-library's account commands.
fn commands(script: &str) -> Vec<Vec<String>> {
    let mut out = vec![];
    let mut words: Vec<String> = vec![];
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = script.chars().peekable();
    let flush = |words: &mut Vec<String>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    word.push(q);
                }
            }
            ';' | '&' | '|' | '\n' => {
                flush(&mut words, &mut word, &mut in_word);
                if !words.is_empty() {
                    out.push(std::mem::take(&mut words));
                }
            }
            '#' if !in_word => break,
            c if c.is_whitespace() => flush(&mut words, &mut word, &mut in_word),
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    flush(&mut words, &mut word, &mut in_word);
    if !words.is_empty() {
        out.push(words);
    }
    out
}

/// Options as (name, value) pairs plus positional arguments; `takes_value` says which
/// option names consume the next word. `--opt=value` is split.
fn options(args: &[String], takes_value: &[&str]) -> (Vec<(String, Option<String>)>, Vec<String>) {
    let mut opts = vec![];
    let mut positional = vec![];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a.starts_with('-') && a.len() > 1 {
            if let Some((k, v)) = a.split_once('=') {
                opts.push((k.to_string(), Some(v.to_string())));
            } else if takes_value.contains(&a.as_str()) {
                opts.push((a.clone(), it.next().cloned()));
            } else if !a.starts_with("--") && a.len() > 2 {
                // Bundled short flags, e.g. `-SD`.
                for f in a[1..].chars() {
                    opts.push((format!("-{f}"), None));
                }
            } else {
                opts.push((a.clone(), None));
            }
        } else {
            positional.push(a.clone());
        }
    }
    (opts, positional)
}

fn value<'a>(opts: &'a [(String, Option<String>)], names: &[&str]) -> Option<&'a str> {
    opts.iter()
        .rev()
        .find(|(k, _)| names.contains(&k.as_str()))
        .and_then(|(_, v)| v.as_deref())
}

fn flag(opts: &[(String, Option<String>)], names: &[&str]) -> bool {
    opts.iter().any(|(k, _)| names.contains(&k.as_str()))
}

impl Accounts {
    fn group_id(&self, group: &str, os_family: &str) -> Option<u32> {
        group
            .parse()
            .ok()
            .or_else(|| self.groups.iter().find(|g| g.name == group).map(|g| g.gid))
            .or_else(|| os_group(os_family, group))
    }

    fn add_group(&mut self, args: &[String], _os_family: &str) {
        let (opts, pos) = options(args, &["-g", "--gid", "-K", "--key", "-p", "--password"]);
        // `addgroup USER GROUP` adds a member; only one positional creates a group.
        let [name] = pos.as_slice() else { return };
        let Some(gid) = value(&opts, &["-g", "--gid"]).and_then(|g| g.parse().ok()) else {
            return;
        };
        self.groups.retain(|g| g.name != *name);
        self.groups.push(Group {
            name: name.clone(),
            gid,
        });
    }

    fn useradd(&mut self, args: &[String], os_family: &str) {
        let (opts, pos) = options(
            args,
            &[
                "-u",
                "--uid",
                "-g",
                "--gid",
                "-d",
                "--home-dir",
                "--home",
                "-s",
                "--shell",
                "-c",
                "--comment",
                "-G",
                "--groups",
                "-k",
                "--skel",
                "-K",
                "--key",
                "-p",
                "--password",
                "-e",
                "-f",
            ],
        );
        let Some(name) = pos.last() else { return };
        let Some(uid) = value(&opts, &["-u", "--uid"]).and_then(|u| u.parse().ok()) else {
            return;
        };
        let gid = value(&opts, &["-g", "--gid"])
            .and_then(|g| self.group_id(g, os_family))
            .unwrap_or(uid);
        self.push_user(User {
            name: name.clone(),
            uid,
            gid,
            gecos: value(&opts, &["-c", "--comment"])
                .unwrap_or_default()
                .to_string(),
            home: value(&opts, &["-d", "--home-dir", "--home"])
                .map_or_else(|| format!("/home/{name}"), str::to_string),
            shell: value(&opts, &["-s", "--shell"])
                .unwrap_or("/bin/sh")
                .to_string(),
            home_created: flag(&opts, &["-m", "--create-home"]),
        });
    }

    fn adduser(&mut self, args: &[String], os_family: &str) {
        let (opts, pos) = options(
            args,
            &[
                "-u",
                "--uid",
                "-G",
                "--ingroup",
                "-h",
                "--home",
                "-s",
                "--shell",
                "-g",
                "--gecos",
                "-k",
                "--skel",
            ],
        );
        let Some(name) = pos.first() else { return };
        let Some(uid) = value(&opts, &["-u", "--uid"]).and_then(|u| u.parse().ok()) else {
            return;
        };
        let system = flag(&opts, &["-S", "--system"]);
        let group = value(&opts, &["-G", "--ingroup"]).or(system.then_some("nogroup"));
        let gid = match group {
            Some(g) => self.group_id(g, os_family).unwrap_or(uid),
            None => {
                // BusyBox creates a group named after the user with the same id.
                self.groups.push(Group {
                    name: name.clone(),
                    gid: uid,
                });
                uid
            }
        };
        let shell = value(&opts, &["-s", "--shell"]).unwrap_or(if system {
            "/sbin/nologin"
        } else {
            "/bin/sh"
        });
        self.push_user(User {
            name: name.clone(),
            uid,
            gid,
            gecos: value(&opts, &["-g", "--gecos"])
                .unwrap_or("Linux User,,,")
                .to_string(),
            home: value(&opts, &["-h", "--home"])
                .map_or_else(|| format!("/home/{name}"), str::to_string),
            shell: shell.to_string(),
            home_created: !flag(&opts, &["-H", "--no-create-home"]),
        });
    }

    fn groupmod(&mut self, args: &[String]) {
        let (opts, pos) = options(args, &["-n", "--new-name", "-g", "--gid"]);
        let (Some(old), Some(new)) = (pos.last(), value(&opts, &["-n", "--new-name"])) else {
            return;
        };
        let gid = match self.groups.iter().find(|g| g.name == *old) {
            Some(g) => g.gid,
            None => match os_user(old) {
                Some(u) => u.gid,
                None => return,
            },
        };
        self.groups.retain(|g| g.name != *old);
        self.groups.push(Group {
            name: new.to_string(),
            gid,
        });
    }

    fn usermod(&mut self, args: &[String]) {
        let (opts, pos) = options(
            args,
            &[
                "-l",
                "--login",
                "-d",
                "--home",
                "-G",
                "--groups",
                "-s",
                "--shell",
                "-g",
                "--gid",
                "-u",
                "--uid",
                "-c",
                "--comment",
            ],
        );
        let Some(old) = pos.last() else { return };
        let Some(mut user) = self
            .users
            .iter()
            .find(|u| u.name == *old)
            .cloned()
            .or_else(|| os_user(old))
        else {
            return;
        };
        if let Some(login) = value(&opts, &["-l", "--login"]) {
            user.name = login.to_string();
        }
        if let Some(home) = value(&opts, &["-d", "--home"]) {
            user.home = home.to_string();
        }
        if let Some(shell) = value(&opts, &["-s", "--shell"]) {
            user.shell = shell.to_string();
        }
        self.users.retain(|u| u.name != *old);
        self.push_user(user);
    }

    fn push_user(&mut self, user: User) {
        self.users.retain(|u| u.name != user.name);
        self.users.push(user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(history: &[&str], os: &str, users: &[&str], groups: &[&str]) {
        let acc = parse(history.iter().copied(), os);
        let got_users: Vec<String> = acc
            .users
            .iter()
            .map(|u| {
                format!(
                    "{}:{}:{}:{}:{}:{}{}",
                    u.name,
                    u.uid,
                    u.gid,
                    u.gecos,
                    u.home,
                    u.shell,
                    if u.home_created { " +home" } else { "" }
                )
            })
            .collect();
        let got_groups: Vec<String> = acc
            .groups
            .iter()
            .map(|g| format!("{}:{}", g.name, g.gid))
            .collect();
        assert_eq!(got_users, users);
        assert_eq!(got_groups, groups);
    }

    #[test]
    fn debian_useradd() {
        check(
            &["RUN groupadd --gid 1000 node   && useradd --uid 1000 --gid node --shell /bin/bash --create-home node # buildkit"],
            "debian",
            &["node:1000:1000::/home/node:/bin/bash +home"],
            &["node:1000"],
        );
        check(
            &["RUN set -eux; \tgroupadd -r postgres --gid=999; \tuseradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres; \tinstall -d"],
            "debian",
            &["postgres:999:999::/var/lib/postgresql:/bin/bash"],
            &["postgres:999"],
        );
        check(
            &["RUN set -x && groupadd --system --gid 101 nginx && useradd --system --gid nginx --no-create-home --home /nonexistent --comment \"nginx user\" --shell /bin/false --uid 101 nginx && apt-get update"],
            "debian",
            &["nginx:101:101:nginx user:/nonexistent:/bin/false"],
            &["nginx:101"],
        );
    }

    #[test]
    fn busybox_adduser() {
        check(
            &["RUN addgroup -g 1000 node     && adduser -u 1000 -G node -s /bin/sh -D node     && apk add"],
            "alpine",
            &["node:1000:1000:Linux User,,,:/home/node:/bin/sh +home"],
            &["node:1000"],
        );
        check(
            &["RUN set -x && adduser -u 82 -D -S -G www-data www-data # buildkit"],
            "alpine",
            &["www-data:82:82:Linux User,,,:/home/www-data:/sbin/nologin +home"],
            &[],
        );
        check(
            &["RUN set -eux; addgroup -S -g 1000 redis; adduser -S -G redis -u 999 redis # buildkit"],
            "alpine",
            &["redis:999:1000:Linux User,,,:/home/redis:/sbin/nologin +home"],
            &["redis:1000"],
        );
    }

    #[test]
    fn gradle_renames_ubuntu() {
        check(
            &["RUN set -o errexit -o nounset     && groupmod --new-name gradle ubuntu     && usermod --login gradle --home /home/gradle --groups gradle ubuntu     && mkdir /home/gradle"],
            "ubuntu",
            &["gradle:1000:1000:Ubuntu:/home/gradle:/bin/bash +home"],
            &["gradle:1000"],
        );
    }
}
