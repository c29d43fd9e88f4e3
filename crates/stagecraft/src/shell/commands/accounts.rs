//! `useradd`, `groupadd`, `usermod` (shadow), `adduser`, `addgroup` (Debian's scripts and
//! BusyBox's applets, told apart by their flag style and the image's OS): entries appended
//! to `/etc/passwd` and `/etc/group`, home directories created, so that a later `USER` or
//! `--chown` resolves through them as BuildKit does.
//!
//! Ids follow the tools' rules: regular accounts get the first free id from 1000; system
//! accounts count down from 999 (shadow, Debian) or up from 100 (BusyBox). `useradd` without
//! `-l` (`--no-log-init`) also writes `/var/log/lastlog` and `/var/log/faillog` records at the
//! uid's offset: sparse files that a layer stores whole (Docker's best-practice guide warns
//! about large uids for this reason).

use crate::diagnostics::Severity;
use crate::vfs::Node;

use super::super::session::{Lookup, Session, Status};
use super::langdata::bytes;
use super::produce::{self, mb};

#[derive(Clone, Debug)]
struct Entry {
    fields: Vec<String>,
}

impl Entry {
    fn name(&self) -> &str {
        self.fields.first().map_or("", String::as_str)
    }
    fn id(&self) -> Option<u32> {
        self.fields.get(2).and_then(|f| f.parse().ok())
    }
}

/// An `/etc` database as lines, or why it cannot be edited.
enum Db {
    Known(Vec<Entry>),
    /// Present, but its content is not known.
    Unknown,
}

fn load(s: &Session, path: &str) -> Db {
    match s.lookup(path, true) {
        Lookup::Found { node, .. } => match node.content() {
            Some(c) => Db::Known(String::from_utf8_lossy(c).lines().filter(|l| !l.trim().is_empty()).map(|l| Entry { fields: l.split(':').map(str::to_string).collect() }).collect()),
            None => Db::Unknown,
        },
        Lookup::Missing { .. } => Db::Known(Vec::new()),
        Lookup::Unknown { .. } => Db::Unknown,
    }
}

fn save(s: &mut Session, path: &str, entries: &[Entry]) {
    let text: String = entries.iter().map(|e| e.fields.join(":") + "\n").collect();
    let (mode, owner) = match s.fs.get(path) {
        Some(n) => (n.mode, (n.uid, n.gid)),
        None => (0o644, (0, 0)),
    };
    let mut node = Node::file(text.into_bytes(), mode);
    (node.uid, node.gid) = owner;
    s.fs.write(path, node, (0, 0));
}

/// Both databases, or a note that they cannot be edited (then the command changes nothing).
fn databases(s: &mut Session, tool: &str) -> Option<(Vec<Entry>, Vec<Entry>)> {
    match (load(s, "/etc/passwd"), load(s, "/etc/group")) {
        (Db::Known(p), Db::Known(g)) => Some((p, g)),
        _ => {
            s.tainted = true;
            s.uncertain = true;
            s.note(Severity::Warning, "RunAssumed", format!("`{tool}`: /etc/passwd or /etc/group is not known here, so the account was not recorded; a later USER naming it is assumed to exist"));
            None
        }
    }
}

fn first_free(entries: &[Entry], system: bool, busybox: bool) -> u32 {
    let used: Vec<u32> = entries.iter().filter_map(Entry::id).collect();
    if system && !busybox {
        (100..=999).rev().find(|id| !used.contains(id)).unwrap_or(999)
    } else if system {
        (100..=999).find(|id| !used.contains(id)).unwrap_or(999)
    } else {
        // shadow and BusyBox both take one past the highest regular id in use.
        used.iter().filter(|id| (1000..60000).contains(*id)).max().map_or(1000, |m| m + 1)
    }
}

/// Whether the image's tools are BusyBox's (Alpine, busybox images).
fn is_busybox(s: &Session) -> bool {
    matches!(produce::os_id(s).as_deref(), Some("alpine" | "busybox"))
}

#[derive(Default)]
struct Account {
    name: String,
    uid: Option<u32>,
    group: Option<String>,
    extra_groups: Vec<String>,
    home: Option<String>,
    shell: Option<String>,
    gecos: String,
    system: bool,
    create_home: Option<bool>,
    user_group: bool,
    no_lastlog: bool,
    no_faillog: bool,
    skel: bool,
    home_mode: u32,
}

/// Takes the value of an option (`-u 5`, `-u5`, `--uid=5`, `--uid 5`).
fn value(args: &[String], i: &mut usize, a: &str, long: bool) -> Option<String> {
    if let Some((_, v)) = a.split_once('=').filter(|_| long) {
        return Some(v.to_string());
    }
    if let Some(rest) = a.get(2..).filter(|r| !long && !r.is_empty()) {
        return Some(rest.to_string());
    }
    *i += 1;
    args.get(*i).cloned()
}

pub fn useradd(args: &[String], s: &mut Session) -> Status {
    let mut acc = Account { user_group: true, home_mode: 0o755, ..Account::default() };
    let mut i = 1;
    while i < args.len() {
        let a = args[i].clone();
        let long = a.starts_with("--");
        let key = if long { a.split('=').next().unwrap_or(&a).to_string() } else { a.chars().take(2).collect() };
        match key.as_str() {
            "-u" | "--uid" => acc.uid = value(args, &mut i, &a, long).and_then(|v| v.parse().ok()),
            "-g" | "--gid" => acc.group = value(args, &mut i, &a, long),
            "-G" | "--groups" => acc.extra_groups = value(args, &mut i, &a, long).unwrap_or_default().split(',').filter(|g| !g.is_empty()).map(str::to_string).collect(),
            "-d" | "--home-dir" | "--home" => acc.home = value(args, &mut i, &a, long),
            "-s" | "--shell" => acc.shell = value(args, &mut i, &a, long),
            "-c" | "--comment" => acc.gecos = value(args, &mut i, &a, long).unwrap_or_default(),
            "-k" | "--skel" | "-p" | "--password" | "-e" | "--expiredate" | "-f" | "--inactive" | "-K" | "--key" | "-b" | "--base-dir" | "-R" | "--root" | "-Z" | "--selinux-user" => {
                value(args, &mut i, &a, long);
            }
            "-m" | "--create-home" => acc.create_home = Some(true),
            "-M" | "--no-create-home" => acc.create_home = Some(false),
            "-r" | "--system" => acc.system = true,
            "-U" | "--user-group" => acc.user_group = true,
            "-N" | "--no-user-group" => acc.user_group = false,
            "-l" | "--no-log-init" => (acc.no_lastlog, acc.no_faillog) = (true, true),
            "-o" | "--non-unique" | "-D" | "--defaults" => {}
            _ if a.starts_with('-') => {
                // Bundled short flags: `-rm`, `-lm`.
                for c in a[1..].chars() {
                    match c {
                        'm' => acc.create_home = Some(true),
                        'M' => acc.create_home = Some(false),
                        'r' => acc.system = true,
                        'l' => (acc.no_lastlog, acc.no_faillog) = (true, true),
                        'U' => acc.user_group = true,
                        'N' => acc.user_group = false,
                        _ => {}
                    }
                }
            }
            _ => acc.name = a,
        }
        i += 1;
    }
    if acc.name.is_empty() {
        return s.fail("useradd", "Usage: useradd [options] LOGIN", 2);
    }
    if acc.group.is_some() {
        acc.user_group = false;
    }
    acc.shell = acc.shell.or(Some("/bin/sh".to_string()));
    acc.create_home = Some(acc.create_home.unwrap_or(false));
    acc.skel = true;
    create(s, "useradd", acc, false)
}

pub fn adduser(args: &[String], s: &mut Session) -> Status {
    let debian = args.iter().skip(1).any(|a| a.starts_with("--")) || !is_busybox(s);
    let mut acc = Account { home_mode: if debian { 0o700 } else { 0o755 }, no_lastlog: true, no_faillog: true, ..Account::default() };
    let mut names = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = args[i].clone();
        let long = a.starts_with("--");
        let key = if long { a.split('=').next().unwrap_or(&a).to_string() } else { a.chars().take(2).collect() };
        match key.as_str() {
            "--uid" | "-u" => acc.uid = value(args, &mut i, &a, long).and_then(|v| v.parse().ok()),
            "--gid" | "--ingroup" => acc.group = value(args, &mut i, &a, long),
            "-G" => acc.group = value(args, &mut i, &a, long),
            "--home" | "-h" => acc.home = value(args, &mut i, &a, long),
            "--shell" | "-s" => acc.shell = value(args, &mut i, &a, long),
            "--gecos" | "--comment" => acc.gecos = value(args, &mut i, &a, long).unwrap_or_default(),
            "-g" if !debian => acc.gecos = value(args, &mut i, &a, long).unwrap_or_default(),
            "-k" | "--firstuid" | "--lastuid" | "--conf" | "--add-extra-groups" | "--firstgid" | "--lastgid" => {
                value(args, &mut i, &a, long);
            }
            "--system" | "-S" => acc.system = true,
            "--group" => acc.user_group = true,
            "--no-create-home" | "-H" => acc.create_home = Some(false),
            "-D" | "--disabled-password" | "--disabled-login" | "--quiet" | "-q" | "--force-badname" | "--allow-bad-names" | "--debug" => {}
            _ if a.starts_with('-') && !debian => {
                for c in a[1..].chars() {
                    match c {
                        'S' => acc.system = true,
                        'H' => acc.create_home = Some(false),
                        _ => {}
                    }
                }
            }
            _ if a.starts_with('-') => {}
            _ => names.push(a),
        }
        i += 1;
    }
    match names.as_slice() {
        [user, group] => return add_to_group(s, "adduser", user, group),
        [user] => acc.name = user.clone(),
        _ => return s.fail("adduser", "Only one or two names allowed.", 1),
    }
    if debian {
        // Debian: a regular user gets a group of its own and a home from /etc/skel; a system
        // user joins nogroup (unless --group) and gets /nonexistent for a home.
        if acc.group.is_none() && (!acc.system || acc.user_group) {
            acc.user_group = true;
        } else if acc.group.is_none() {
            acc.group = Some("nogroup".to_string());
        }
        if acc.system && acc.home.is_none() {
            acc.home = Some("/nonexistent".to_string());
            acc.create_home = Some(false);
        }
        acc.shell = acc.shell.or(Some(if acc.system { "/usr/sbin/nologin" } else { "/bin/bash" }.to_string()));
        acc.skel = !acc.system;
    } else {
        // BusyBox: a group of the user's name unless -G; a system user without -G joins nogroup.
        if acc.group.is_none() {
            if acc.system {
                acc.group = Some("nogroup".to_string());
            } else {
                acc.user_group = true;
            }
        }
        acc.shell = acc.shell.or(Some("/bin/sh".to_string()));
    }
    acc.create_home = Some(acc.create_home.unwrap_or(true));
    create(s, "adduser", acc, !debian)
}

fn create(s: &mut Session, tool: &str, mut acc: Account, busybox: bool) -> Status {
    let Some((mut passwd, mut groups)) = databases(s, tool) else { return 0 };
    if passwd.iter().any(|e| e.name() == acc.name) {
        let msg = if busybox || tool == "adduser" { format!("The user `{}' already exists.", acc.name) } else { format!("user '{}' already exists", acc.name) };
        return s.fail(tool, &msg, if tool == "useradd" { 9 } else { 1 });
    }
    let uid = match acc.uid {
        Some(u) => u,
        None => first_free(&passwd, acc.system, busybox),
    };
    let gid = if let Some(g) = acc.group.clone() {
        match g.parse::<u32>().ok().or_else(|| groups.iter().find(|e| e.name() == g).and_then(Entry::id)) {
            Some(id) => id,
            None => return s.fail(tool, &format!("group '{g}' does not exist"), 6),
        }
    } else if acc.user_group {
        if groups.iter().any(|e| e.name() == acc.name) {
            if tool == "useradd" {
                return s.fail(tool, &format!("group {} exists - if you want to add this user to that group, use -g.", acc.name), 9);
            }
            groups.iter().find(|e| e.name() == acc.name).and_then(Entry::id).unwrap_or(uid)
        } else {
            let used: Vec<u32> = groups.iter().filter_map(Entry::id).collect();
            let gid = if used.contains(&uid) { first_free(&groups, acc.system, busybox) } else { uid };
            groups.push(Entry { fields: vec![acc.name.clone(), "x".into(), gid.to_string(), String::new()] });
            gid
        }
    } else {
        // useradd -N: the default group (GROUP=100, "users").
        100
    };
    for g in &acc.extra_groups {
        match groups.iter_mut().find(|e| e.name() == g) {
            Some(e) => add_member(e, &acc.name),
            None => return s.fail(tool, &format!("group '{g}' does not exist"), 6),
        }
    }
    let home = acc.home.clone().unwrap_or_else(|| format!("/home/{}", acc.name));
    let shell = acc.shell.take().unwrap_or_default();
    passwd.push(Entry { fields: vec![acc.name.clone(), "x".into(), uid.to_string(), gid.to_string(), acc.gecos.clone(), home.clone(), shell] });
    save(s, "/etc/passwd", &passwd);
    save(s, "/etc/group", &groups);
    if acc.create_home == Some(true) && !produce::exists(s, &home) {
        let mut node = Node::dir(acc.home_mode);
        (node.uid, node.gid) = (uid, gid);
        s.fs.write(&produce::place(s, &home), node, (0, 0));
        if acc.skel && !busybox {
            // Debian's /etc/skel (bash and base-files): .bashrc, .profile, .bash_logout.
            for (f, size) in [(".bashrc", 3526u64), (".profile", 807), (".bash_logout", 220)] {
                let mut n = Node::sized_file(size, 0o644);
                (n.uid, n.gid) = (uid, gid);
                s.fs.write(&format!("{}/{f}", produce::place(s, &home)), n, (uid, gid));
            }
        }
    }
    if tool == "useradd" {
        let mut big = Vec::new();
        for (file, key, skip) in [("/var/log/lastlog", "useradd.lastlog.per_uid", acc.no_lastlog), ("/var/log/faillog", "useradd.faillog.per_uid", acc.no_faillog)] {
            if skip {
                continue;
            }
            let size = (uid as u64 + 1) * bytes(key);
            let keep = s.fs.get(file).map_or(0, |n| n.size());
            if size > keep {
                let mut n = Node::sized_file(size, 0o664);
                n.gid = 43;
                s.fs.write(file, n, (0, 0));
                if size > 10_000_000 {
                    big.push(format!("{file} {}", mb(size)));
                }
            }
        }
        if !big.is_empty() {
            s.note(
                Severity::Warning,
                "LargeUidLog",
                format!("`useradd` with uid {uid} writes {}: sparse on disk, but stored whole in the layer; add `--no-log-init` (`-l`), as Docker's best-practice guide advises", big.join(" and ")),
            );
        }
    }
    0
}

fn add_member(e: &mut Entry, user: &str) {
    while e.fields.len() < 4 {
        e.fields.push(String::new());
    }
    let mut members: Vec<String> = e.fields[3].split(',').filter(|m| !m.is_empty()).map(str::to_string).collect();
    if !members.iter().any(|m| m == user) {
        members.push(user.to_string());
    }
    e.fields[3] = members.join(",");
}

fn add_to_group(s: &mut Session, tool: &str, user: &str, group: &str) -> Status {
    let Some((passwd, mut groups)) = databases(s, tool) else { return 0 };
    if !passwd.iter().any(|e| e.name() == user) {
        return s.fail(tool, &format!("The user `{user}' does not exist."), 1);
    }
    match groups.iter_mut().find(|e| e.name() == group) {
        Some(e) => add_member(e, user),
        None => return s.fail(tool, &format!("The group `{group}' does not exist."), 1),
    }
    save(s, "/etc/group", &groups);
    0
}

/// `groupadd [-g GID] [-r] [-f] NAME`, `addgroup [--system] [--gid N] NAME`,
/// `addgroup [-g GID] [-S] NAME`, and `addgroup USER GROUP`.
pub fn groupadd(args: &[String], s: &mut Session) -> Status {
    let tool = crate::vfs::file_name(&args[0]).to_string();
    let busybox = tool == "addgroup" && !args.iter().skip(1).any(|a| a.starts_with("--")) && is_busybox(s);
    let mut gid: Option<u32> = None;
    let mut system = false;
    let mut force = false;
    let mut names = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = args[i].clone();
        let long = a.starts_with("--");
        let key = if long { a.split('=').next().unwrap_or(&a).to_string() } else { a.chars().take(2).collect() };
        match key.as_str() {
            "-g" | "--gid" => gid = value(args, &mut i, &a, long).and_then(|v| v.parse().ok()),
            "-K" | "--key" | "-p" | "--password" | "-R" | "--root" | "--conf" => {
                value(args, &mut i, &a, long);
            }
            "-r" | "--system" | "-S" => system = true,
            "-f" | "--force" => force = true,
            _ if a.starts_with('-') => {
                if a[1..].contains('S') || a[1..].contains('r') {
                    system = true;
                }
                if a[1..].contains('f') {
                    force = true;
                }
            }
            _ => names.push(a),
        }
        i += 1;
    }
    if tool == "addgroup" && names.len() == 2 {
        return add_to_group(s, &tool, &names[0], &names[1]);
    }
    let Some(name) = names.first().cloned() else { return s.fail(&tool, "Usage: groupadd [options] GROUP", 2) };
    let Some((_, mut groups)) = databases(s, &tool) else { return 0 };
    if groups.iter().any(|e| e.name() == name) {
        if force || (tool == "addgroup" && system) {
            return 0;
        }
        let msg = if tool == "groupadd" { format!("group '{name}' already exists") } else { format!("The group `{name}' already exists.") };
        return s.fail(&tool, &msg, if tool == "groupadd" { 9 } else { 1 });
    }
    let id = match gid {
        Some(g) if groups.iter().any(|e| e.id() == Some(g)) && !force => return s.fail(&tool, &format!("GID '{g}' already exists"), 4),
        Some(g) => g,
        None => first_free(&groups, system, busybox),
    };
    groups.push(Entry { fields: vec![name, "x".into(), id.to_string(), String::new()] });
    save(s, "/etc/group", &groups);
    0
}

/// `usermod [-aG groups] [-g group] [-u uid] [-d home] [-s shell] USER`.
pub fn usermod(args: &[String], s: &mut Session) -> Status {
    let Some(user) = args.last().filter(|a| !a.starts_with('-')).cloned() else { return s.fail("usermod", "Usage: usermod [options] LOGIN", 2) };
    let Some((mut passwd, mut groups)) = databases(s, "usermod") else { return 0 };
    let Some(pi) = passwd.iter().position(|e| e.name() == user) else { return s.fail("usermod", &format!("user '{user}' does not exist"), 6) };
    let mut append = false;
    let mut i = 1;
    while i + 1 < args.len() {
        let a = args[i].clone();
        let long = a.starts_with("--");
        let key = if long { a.split('=').next().unwrap_or(&a).to_string() } else { a.chars().take(2).collect() };
        let short = if long { None } else { a.strip_prefix('-') };
        let bundled_g = short.is_some_and(|f| f.len() > 1 && f.contains('G'));
        if short.is_some_and(|f| f.contains('a')) {
            append = true;
        }
        let field = |f: &mut Entry, idx: usize, v: String| {
            while f.fields.len() <= idx {
                f.fields.push(String::new());
            }
            f.fields[idx] = v;
        };
        if bundled_g || key == "-G" || key == "--groups" {
            let v = if bundled_g {
                i += 1;
                args.get(i).cloned().unwrap_or_default()
            } else {
                value(args, &mut i, &a, long).unwrap_or_default()
            };
            for g in v.split(',').filter(|g| !g.is_empty()) {
                match groups.iter_mut().find(|e| e.name() == g) {
                    Some(e) => add_member(e, &user),
                    None => return s.fail("usermod", &format!("group '{g}' does not exist"), 6),
                }
            }
            if !append {
                // Without -a, other supplementary groups are left; recorded as a note only.
            }
        } else {
            match key.as_str() {
                "-u" | "--uid" => {
                    let v = value(args, &mut i, &a, long).unwrap_or_default();
                    field(&mut passwd[pi], 2, v);
                }
                "-g" | "--gid" => {
                    let v = value(args, &mut i, &a, long).unwrap_or_default();
                    let id = v.parse::<u32>().ok().or_else(|| groups.iter().find(|e| e.name() == v).and_then(Entry::id));
                    match id {
                        Some(id) => field(&mut passwd[pi], 3, id.to_string()),
                        None => return s.fail("usermod", &format!("group '{v}' does not exist"), 6),
                    }
                }
                "-d" | "--home" => {
                    let v = value(args, &mut i, &a, long).unwrap_or_default();
                    field(&mut passwd[pi], 5, v);
                }
                "-s" | "--shell" => {
                    let v = value(args, &mut i, &a, long).unwrap_or_default();
                    field(&mut passwd[pi], 6, v);
                }
                "-l" | "--login" | "-c" | "--comment" | "-e" | "-f" | "-p" => {
                    value(args, &mut i, &a, long);
                }
                _ => {}
            }
        }
        i += 1;
    }
    save(s, "/etc/passwd", &passwd);
    save(s, "/etc/group", &groups);
    0
}
