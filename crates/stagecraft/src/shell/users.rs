//! Users and groups from the image's own `/etc/passwd` and `/etc/group`.

use super::session::{Lookup, Session};

pub struct Passwd {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
}

/// The text of an `/etc` database: `None` when the file is absent or its content unknown.
fn database(s: &Session, path: &str) -> Option<String> {
    match s.lookup(path, true) {
        Lookup::Found { node, .. } => node.content().map(|c| String::from_utf8_lossy(c).into_owned()),
        _ => None,
    }
}

pub fn passwd(s: &Session) -> Option<Vec<Passwd>> {
    let text = database(s, "/etc/passwd")?;
    Some(
        text.lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                Some(Passwd { name: f.first()?.to_string(), uid: f.get(2)?.parse().ok()?, gid: f.get(3)?.parse().ok()?, home: f.get(5).unwrap_or(&"/").to_string() })
            })
            .collect(),
    )
}

pub fn groups(s: &Session) -> Option<Vec<(String, u32)>> {
    let text = database(s, "/etc/group")?;
    Some(
        text.lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                Some((f.first()?.to_string(), f.get(2)?.parse().ok()?))
            })
            .collect(),
    )
}

/// What a lookup by name or id found.
pub enum Found<T> {
    Yes(T),
    /// The database is known and has no such entry.
    No,
    /// The database is not known.
    Unknown,
}

pub fn user_by_id(s: &Session, uid: u32) -> Found<String> {
    match passwd(s) {
        Some(list) => match list.into_iter().find(|p| p.uid == uid) {
            Some(p) => Found::Yes(p.name),
            None if uid == 0 && s.tainted => Found::Yes("root".to_string()),
            None => Found::No,
        },
        None if uid == 0 => Found::Yes("root".to_string()),
        None => Found::Unknown,
    }
}

pub fn group_by_id(s: &Session, gid: u32) -> Found<String> {
    match groups(s) {
        Some(list) => match list.into_iter().find(|g| g.1 == gid) {
            Some(g) => Found::Yes(g.0),
            None => Found::No,
        },
        None if gid == 0 => Found::Yes("root".to_string()),
        None => Found::Unknown,
    }
}

/// A user name or number: its uid and login group.
pub fn user_by_name(s: &Session, name: &str) -> Found<(u32, u32)> {
    if let Ok(n) = name.parse::<u32>() {
        let gid = passwd(s).and_then(|l| l.into_iter().find(|p| p.uid == n)).map_or(n, |p| p.gid);
        return Found::Yes((n, gid));
    }
    match passwd(s) {
        Some(list) => match list.into_iter().find(|p| p.name == name) {
            Some(p) => Found::Yes((p.uid, p.gid)),
            None if s.tainted => Found::Unknown,
            None => Found::No,
        },
        None if name == "root" => Found::Yes((0, 0)),
        None => Found::Unknown,
    }
}

pub fn group_by_name(s: &Session, name: &str) -> Found<u32> {
    if let Ok(n) = name.parse::<u32>() {
        return Found::Yes(n);
    }
    match groups(s) {
        Some(list) => match list.into_iter().find(|g| g.0 == name) {
            Some(g) => Found::Yes(g.1),
            None if s.tainted => Found::Unknown,
            None => Found::No,
        },
        None if name == "root" => Found::Yes(0),
        None => Found::Unknown,
    }
}

pub fn home_of(s: &Session, name: &str) -> Option<String> {
    passwd(s)?.into_iter().find(|p| p.name == name).map(|p| p.home)
}
