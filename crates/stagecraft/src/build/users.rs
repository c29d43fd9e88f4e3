//! User and group names, resolved the way BuildKit does: through the stage's own
//! `/etc/passwd` and `/etc/group`; numbers are taken as they are.

use crate::build::{Ctx, StageState};
use crate::span::Span;
use crate::vfs::Fs;

/// The uid/gid the stage's USER runs as. Unknown names are an error (BuildKit fails the RUN);
/// when an unmodelled command may have created the user, a warning and uid/gid 1000 instead.
pub(crate) fn resolve_user(ctx: &mut Ctx<'_>, state: &StageState, span: Span) -> Option<(u32, u32)> {
    let spec = state.config.user.clone();
    if spec.is_empty() {
        return Some((0, 0));
    }
    match parse_owner(&state.fs, &spec, false) {
        Ok(ids) => Some(ids),
        Err(e) if state.uncertain => {
            ctx.diags.warning(
                "UserGuessed",
                span,
                format!("{e}; an earlier RUN the simulator does not model may have created it, so uid/gid 1000 is assumed"),
            );
            Some((1000, 1000))
        }
        Err(e) => {
            ctx.diags.error("UnknownUser", span, e);
            None
        }
    }
}

/// `user[:group]` to numeric ids. For `--chown`, a user without a group means gid = uid
/// (Docker's documented rule); for `USER`, the user's primary group from `/etc/passwd`.
pub(crate) fn parse_owner(fs: &Fs, spec: &str, chown: bool) -> Result<(u32, u32), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let (uid, primary_gid) = match user.parse::<u32>() {
        Ok(n) => (n, passwd_entry_by_uid(fs, n).map(|e| e.1).unwrap_or(n)),
        Err(_) => passwd_entry(fs, user)
            .ok_or_else(|| format!("unable to find user {user}: no matching entries in passwd file"))?,
    };
    let gid = match group {
        Some(g) if !g.is_empty() => match g.parse::<u32>() {
            Ok(n) => n,
            Err(_) => group_id(fs, g).ok_or_else(|| format!("unable to find group {g}: no matching entries in group file"))?,
        },
        _ if chown && user.parse::<u32>().is_ok() => uid,
        _ => primary_gid,
    };
    Ok((uid, gid))
}

fn file_text(fs: &Fs, path: &str) -> Option<String> {
    let resolved = fs.resolve(path, true).ok()?;
    let bytes = fs.get(&resolved)?.content()?;
    Some(String::from_utf8_lossy(bytes).into_owned())
}

/// (uid, gid) of a named user in `/etc/passwd`.
pub(crate) fn passwd_entry(fs: &Fs, name: &str) -> Option<(u32, u32)> {
    file_text(fs, "/etc/passwd")?.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() >= 4 && f[0] == name).then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?))).flatten()
    })
}

fn passwd_entry_by_uid(fs: &Fs, uid: u32) -> Option<(u32, u32)> {
    file_text(fs, "/etc/passwd")?.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() >= 4 && f[2].parse() == Ok(uid)).then(|| Some((uid, f[3].parse().ok()?))).flatten()
    })
}

pub(crate) fn group_id(fs: &Fs, name: &str) -> Option<u32> {
    file_text(fs, "/etc/group")?.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() >= 3 && f[0] == name).then(|| f[2].parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfs::Node;

    fn fs() -> Fs {
        let mut fs = Fs::new();
        fs.write("/etc/passwd", Node::file(&b"root:x:0:0:root:/root:/bin/sh\napp:x:1001:1002::/home/app:/bin/sh\n"[..], 0o644), (0, 0));
        fs.write("/etc/group", Node::file(&b"root:x:0:\nstaff:x:50:\napp:x:1002:\n"[..], 0o644), (0, 0));
        fs
    }

    #[test]
    fn owners_resolve_like_docker() {
        let fs = fs();
        for (spec, chown, want) in [
            ("app", false, Ok((1001, 1002))),
            ("app", true, Ok((1001, 1002))),
            ("app:staff", true, Ok((1001, 50))),
            ("1001", true, Ok((1001, 1001))),
            ("1001", false, Ok((1001, 1002))),
            ("10:11", true, Ok((10, 11))),
            ("nobody", true, Err("unable to find user nobody: no matching entries in passwd file".to_string())),
            ("app:nogroup", true, Err("unable to find group nogroup: no matching entries in group file".to_string())),
        ] {
            assert_eq!(parse_owner(&fs, spec, chown), want, "{spec} chown={chown}");
        }
    }
}
