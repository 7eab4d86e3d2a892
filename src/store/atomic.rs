//! Atomic, private file writes and careful reads, shared by the config file,
//! the plaintext secret file and the refresh journal.
//!
//! A write goes to a fresh temp file in the same directory — random name,
//! `O_EXCL`, mode 0600, from the `tempfile` crate, so a symlink planted at a
//! guessable name receives nothing — is synced, and is renamed over the
//! target: a reader sees the old file or the new one, never a part. Temp files
//! of a writer that was killed are swept by the next writer of the same file
//! (callers hold that file's lock), so no stray copy of secrets stays behind.
//!
//! Directories are created 0700. An existing one keeps its mode, with one
//! exception: a directory of yours that only your own primary group can
//! write, which is what `umask 002` makes (user-private groups, Ubuntu's
//! default), is tightened to 0700 with a one-line note. Any other directory
//! someone else can write is refused ([`check_private_dir`]), never changed.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Every temp file name ends so; see [`sweep_leftovers`].
const TEMP_SUFFIX: &str = ".tmp";

/// The error for a failed file operation: out of space is said so (it is not
/// a permission problem), anything else names the action and the path.
pub(super) fn io_error(action: &'static str, path: &Path, source: io::Error) -> Error {
    // NOTE: EMFILE is no permission problem either: the hint must say `ulimit -n`.
    if let Some(exhausted) = crate::open_files::exhausted(&source) {
        return exhausted.error(format!("{action} {}", path.display()));
    }
    let reason = match source.kind() {
        io::ErrorKind::StorageFull => "no space left on the disk (ENOSPC)",
        io::ErrorKind::QuotaExceeded => "the disk quota is used up (EDQUOT)",
        io::ErrorKind::FileTooLarge => "the file size limit is reached (EFBIG; see `ulimit -f`)",
        _ => {
            return Error::FileAccess {
                action,
                path: path.to_owned(),
                source: std::sync::Arc::new(source),
            };
        }
    };
    Error::NoSpace {
        action,
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Creates `dir` (and missing parents) readable by this user only. An
/// existing directory is left exactly as it is.
pub(super) fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|source| io_error("create the directory", dir, source))
}

/// Refuses a directory that someone else can write: they could swap the
/// config (and so where secrets are sent) or plant files next to secrets.
/// A directory that does not exist yet passes (it will be created 0700).
///
/// NOTE: one kind of group-writable directory is tightened instead of
/// refused: yours, its group your own primary group, no setgid bit, and
/// nobody else allowed to write. That is what `umask 002` gives every new
/// directory (the shell installer's receipt creates the config directory),
/// so refusing it would refuse jira-spoke's own directory right after
/// install. A directory shared on purpose, with another group or the setgid
/// bit, is still refused and left as it is.
pub(super) fn check_private_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = match fs::metadata(dir) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(source) => return Err(io_error("inspect", dir, source)),
        };
        let mode = meta.mode() & 0o7777;
        let me = effective_uid();
        let reason = if meta.uid() != me && meta.uid() != 0 {
            format!(
                "it belongs to user ID {}, not to you (user ID {me})",
                meta.uid()
            )
        } else if mode & 0o002 != 0 {
            format!("everyone can write to it (mode {mode:04o})")
        } else if mode & 0o020 != 0 {
            if is_own_group_writable(&meta, me) {
                return tighten_own_dir(dir, mode);
            }
            format!("its group can write to it (mode {mode:04o})")
        } else {
            return Ok(());
        };
        Err(Error::SharedDirectory {
            path: dir.to_owned(),
            reason,
        })
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Whether `meta` is a directory of user `me` that only the user's own
/// primary group can write, besides the user: what `umask 002` makes.
#[cfg(unix)]
fn is_own_group_writable(meta: &fs::Metadata, me: u32) -> bool {
    use std::os::unix::fs::MetadataExt;
    /// The setgid bit: on a directory, a sign it is shared with a team.
    const SETGID: u32 = 0o2000;
    // SAFETY: getegid has no preconditions and cannot fail.
    let my_group = unsafe { libc::getegid() };
    meta.uid() == me && meta.gid() == my_group && meta.mode() & (SETGID | 0o002) == 0
}

/// Sets `dir` (mode `was`) to 0700 and says so on stderr in one line.
/// The mode is read again and changed through one open handle, so a
/// directory swapped in between is not the one changed.
#[cfg(unix)]
fn tighten_own_dir(dir: &Path, was: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let tightened = (|| -> io::Result<()> {
        let handle = File::open(dir)?;
        let meta = handle.metadata()?;
        if !meta.is_dir() || !is_own_group_writable(&meta, effective_uid()) {
            return Err(io::Error::other(
                "the directory changed while it was checked",
            ));
        }
        handle.set_permissions(fs::Permissions::from_mode(0o700))
    })();
    match tightened {
        Ok(()) => {
            let line = format!(
                "note: made {} private (mode {was:04o} → 0700): its group could write to it",
                dir.display()
            );
            crate::output::stderr_line(&crate::output::terminal_text(
                &line,
                crate::output::Lines::One,
            ));
            Ok(())
        }
        Err(_) => Err(Error::SharedDirectory {
            path: dir.to_owned(),
            reason: format!("its group can write to it (mode {was:04o})"),
        }),
    }
}

#[cfg(unix)]
pub(super) fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Writes `contents` to `path` atomically, mode 0600. The caller holds the
/// lock that serializes writers of `path`.
pub(super) fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    write_private_with(path, contents, |file, bytes| file.write_all(bytes))
}

/// [`write_private`] without waiting for the disk: for state rebuilt when
/// lost (a token's expiry; losing it costs one renewal). Readers still see
/// the old file or the new one, never a mix.
pub(super) fn write_private_unsynced(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = parent(path);
    create_private_dir(dir)?;
    sweep_leftovers(path);
    write_renamed(
        dir,
        path,
        contents,
        |file, bytes| file.write_all(bytes),
        false,
    )
}

/// [`write_private`] with the write itself injected (tests fail it).
fn write_private_with(
    path: &Path,
    contents: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
) -> Result<()> {
    let dir = parent(path);
    create_private_dir(dir)?;
    sweep_leftovers(path);
    write_renamed(dir, path, contents, write, true)?;
    sync_dir(dir);
    Ok(())
}

/// Writes `contents` to a temp file in `dir`, syncs it (when `sync`) and
/// renames it to `path`.
fn write_renamed(
    dir: &Path,
    path: &Path,
    contents: &[u8],
    write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
    sync: bool,
) -> Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(|source| io_error("create a temp file to write", path, source))?;
    // Dropping `tmp` on any error below deletes the temp file.
    write(tmp.as_file_mut(), contents).map_err(|source| io_error("write", path, source))?;
    if sync {
        tmp.as_file()
            .sync_all()
            .map_err(|source| io_error("write", path, source))?;
    }
    tmp.persist(path)
        .map_err(|e| io_error("replace", path, e.error))?;
    tracing::debug!("wrote {} ({} bytes)", path.display(), contents.len());
    Ok(())
}

/// A rename in `dir` is durable once the directory is synced; best effort.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    format!(".{name}.")
}

/// Deletes temp files a killed writer of `path` left behind: `.<name>.*.tmp`.
/// Only called under `path`'s lock, so no live writer owns one.
fn sweep_leftovers(path: &Path) {
    let prefix = temp_prefix(path);
    sweep(parent(path), |name| is_leftover(name, &prefix));
}

/// Deletes the files of `dir` whose names `leftover` picks.
fn sweep(dir: &Path, leftover: impl Fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if leftover(name) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether `name` is a temp file of a writer whose temp files start with
/// `prefix`.
fn is_leftover(name: &str, prefix: &str) -> bool {
    name.starts_with(prefix) && name.ends_with(TEMP_SUFFIX) && name.len() > prefix.len()
}

/// The most a stored file (config, token state, journal) may hold: a
/// config of 1,000 connections is under 1 MiB.
pub(super) const MAX_READ_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a stored text file; `None` when it does not exist. Refused without
/// being read: a symlink to a file another user owns or others may write
/// (whoever can write it could change the token URL), anything but a
/// regular file (a FIFO would block, a device never end), and a file over
/// [`MAX_READ_BYTES`].
pub(super) fn read_optional(path: &Path) -> Result<Option<String>> {
    let refuse = |reason: String| Error::UnsafeStoredFile {
        path: path.to_owned(),
        reason,
    };
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io_error("inspect", path, source)),
        Ok(link) if link.file_type().is_symlink() => {
            let target = fs::metadata(path).map_err(|source| io_error("inspect", path, source))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                let me = effective_uid();
                if target.uid() != me {
                    return Err(refuse(format!(
                        "it is a symbolic link to a file of user ID {}, not yours",
                        target.uid()
                    )));
                }
                if target.mode() & 0o022 != 0 {
                    return Err(refuse(format!(
                        "it is a symbolic link to a file others may write (mode {:o})",
                        target.mode() & 0o777
                    )));
                }
            }
            let _ = target;
        }
        Ok(_) => {}
    }
    let bytes = match read_bounded(path, MAX_READ_BYTES) {
        Ok(bytes) => bytes,
        Err(Refused::Io(e)) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(Refused::Io(source)) => return Err(io_error("read", path, source)),
        Err(Refused::Not(reason)) => return Err(refuse(reason)),
    };
    log_read(path, bytes.len());
    decode(path, bytes).map(Some)
}

/// Why [`read_bounded`] read nothing.
#[derive(Debug)]
pub enum Refused {
    /// The file could not be opened or read.
    Io(io::Error),
    /// It is not a regular file, or larger than allowed: the reason, in words.
    Not(String),
}

/// The whole of a regular file of at most `max` bytes, following symlinks.
/// A FIFO or a device is refused without a blocking read (opened
/// `O_NONBLOCK`), and a file is never read past `max` + 1 bytes, whatever
/// its size claimed.
pub fn read_bounded(path: &Path, max: u64) -> std::result::Result<Vec<u8>, Refused> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(Refused::Io)?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::Not(
            "it is not a regular file (a FIFO, a device or a directory)".into(),
        ));
    }
    let too_large = |len: u64| {
        Refused::Not(format!(
            "it holds {len} bytes, more than the {max} jira-spoke reads"
        ))
    };
    if meta.len() > max {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a file that holds secrets; `None` when it does not exist. A symlink
/// is refused, not followed, and so is anything but a regular file of ours.
pub(super) fn read_secret_file(path: &Path) -> Result<Option<String>> {
    let unsafe_file = |reason: String| Error::UnsafeSecretFile {
        path: path.to_owned(),
        reason,
    };
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                let target = fs::read_link(path)
                    .map(|t| format!(" (to {})", t.display()))
                    .unwrap_or_default();
                return Err(unsafe_file(format!("it is a symbolic link{target}")));
            }
            return Err(io_error("read", path, source));
        }
    };
    let meta = file
        .metadata()
        .map_err(|source| io_error("inspect", path, source))?;
    if !meta.is_file() {
        return Err(unsafe_file("it is not a regular file".into()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = effective_uid();
        if meta.uid() != me && meta.uid() != 0 {
            return Err(unsafe_file(format!(
                "it belongs to user ID {}, not to you (user ID {me})",
                meta.uid()
            )));
        }
    }
    if meta.len() > MAX_READ_BYTES {
        return Err(unsafe_file(format!(
            "it holds {} bytes, more than the {MAX_READ_BYTES} jira-spoke reads",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_READ_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|source| io_error("read", path, source))?;
    log_read(path, bytes.len());
    decode(path, bytes).map(Some)
}

/// Every read of a stored file is logged at `-vv`, as every write is: how
/// often a command reads or writes the config or the secret file is part of
/// what it costs (and tests count it).
fn log_read(path: &Path, len: usize) {
    tracing::debug!("read {} ({len} bytes)", path.display());
}

/// UTF-8 text, or an error that says where the first invalid byte is.
fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let before = &bytes[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Error::ConfigParse {
            path: path.to_owned(),
            reason: format!(
                "it is not UTF-8 text (invalid byte 0x{:02X} at line {line}, byte {})",
                bytes[at],
                at - line_start + 1
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn writes_are_private_and_replace_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        write_private(&path, b"one").unwrap();
        write_private(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        #[cfg(unix)]
        {
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temp file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_planted_at_the_old_temp_name_receives_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "untouched").unwrap();
        let path = dir.path().join("secrets.json");
        // The name the writer used to pick: `.<file>.<pid>.tmp`.
        let planted = dir
            .path()
            .join(format!(".secrets.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_private(&path, b"s3cret").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "untouched");
        assert!(
            !fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "s3cret");
    }

    #[test]
    fn a_full_disk_is_named_and_leaves_the_old_file_and_no_temp_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        write_private(&path, b"old").unwrap();
        let err = write_private_with(&path, b"new", |file, bytes| {
            file.write_all(&bytes[..1])?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        })
        .unwrap_err();
        assert!(matches!(err, Error::NoSpace { .. }), "{err:?}");
        assert_eq!(err.kind().exit_code(), 6);
        assert!(err.to_string().contains("ENOSPC"), "{err}");
        let hint = err.hint().unwrap();
        assert!(hint.contains("free some space"), "{hint}");
        assert!(!hint.contains("permission"), "{hint}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "a temp copy was left: {names:?}");
    }

    /// The names of the files in `dir`, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn temp_files_of_killed_writers_are_swept_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        for name in [".secrets.json.4242.tmp", ".secrets.json.Ab3xYz.tmp"] {
            fs::write(dir.path().join(name), "{\"secrets\":{\"k\":\"s3cret\"}}").unwrap();
        }
        let unrelated = dir.path().join(".config.toml.Ab3xYz.tmp");
        fs::write(&unrelated, "").unwrap();
        write_private(&path, b"{}").unwrap();
        assert_eq!(
            names_in(dir.path()),
            [".config.toml.Ab3xYz.tmp", "secrets.json"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_directory_keeps_its_mode_and_a_shared_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for (m, refused) in [
            (0o2775, true),
            (0o1777, true),
            (0o777, true),
            (0o750, false),
            (0o700, false),
        ] {
            let team = dir.path().join(format!("team{m:o}"));
            fs::create_dir(&team).unwrap();
            set_mode(&team, m);
            create_private_dir(&team).unwrap();
            assert_eq!(mode(&team), m, "mode changed silently");
            let checked = check_private_dir(&team);
            assert_eq!(checked.is_err(), refused, "{m:o}: {checked:?}");
            if let Err(err) = checked {
                assert_eq!(err.kind().exit_code(), 6);
                assert!(err.to_string().contains(&format!("{m:04o}")), "{err}");
                assert!(err.hint().unwrap().contains("chmod 700"), "{err:?}");
            }
        }
        assert!(check_private_dir(&dir.path().join("missing")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_only_your_own_group_can_write_is_tightened_to_0700() {
        let dir = tempfile::tempdir().unwrap();
        for m in [0o775, 0o770, 0o730] {
            let own = dir.path().join(format!("own{m:o}"));
            fs::create_dir(&own).unwrap();
            set_mode(&own, m);
            check_private_dir(&own).unwrap();
            assert_eq!(mode(&own), 0o700, "{m:o}");
            check_private_dir(&own).unwrap();
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_of_another_group_or_user_is_refused_and_left_as_it_is() {
        use std::os::unix::ffi::OsStrExt;
        // NOTE: giving a directory away needs root, as the tests run in CI.
        if effective_uid() != 0 {
            return;
        }
        /// `nobody` and `nogroup` on Debian.
        const NOBODY: u32 = 65534;
        let dir = tempfile::tempdir().unwrap();
        for (name, uid, gid, m, reason) in [
            ("team", 0, NOBODY, 0o775, "its group can write"),
            ("theirs", NOBODY, NOBODY, 0o700, "belongs to user ID 65534"),
            (
                "theirs-shared",
                NOBODY,
                0,
                0o775,
                "belongs to user ID 65534",
            ),
        ] {
            let path = dir.path().join(name);
            fs::create_dir(&path).unwrap();
            let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
            // SAFETY: a valid NUL-terminated path; chown has no other preconditions.
            assert_eq!(unsafe { libc::chown(c_path.as_ptr(), uid, gid) }, 0);
            set_mode(&path, m);
            let err = check_private_dir(&path).unwrap_err();
            assert_eq!(err.kind().exit_code(), 6);
            assert!(err.to_string().contains(reason), "{name}: {err}");
            assert_eq!(mode(&path), m, "{name}: mode changed");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_secret_file_is_refused_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("someone-elses.json");
        fs::write(&elsewhere, "{\"secrets\":{}}").unwrap();
        let path = dir.path().join("secrets.json");
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        let err = read_secret_file(&path).unwrap_err();
        assert!(matches!(err, Error::UnsafeSecretFile { .. }), "{err:?}");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(read_secret_file(&dir.path().join("none")).unwrap(), None);
        assert_eq!(
            read_secret_file(&elsewhere).unwrap().as_deref(),
            Some("{\"secrets\":{}}")
        );
    }

    #[test]
    fn invalid_utf8_is_located_not_blamed_on_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, b"version = 1\nname = \"caf\xe9\"\n").unwrap();
        let err = read_optional(&path).unwrap_err();
        assert!(matches!(err, Error::ConfigParse { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("not UTF-8") && text.contains("0xE9 at line 2, byte 12"),
            "{text}"
        );
    }

    #[test]
    fn io_errors_that_mean_no_space_are_named_so() {
        let path = Path::new("/x/config.toml");
        for (kind, words) in [
            (io::ErrorKind::StorageFull, "ENOSPC"),
            (io::ErrorKind::QuotaExceeded, "quota"),
            (io::ErrorKind::FileTooLarge, "ulimit"),
        ] {
            let err = io_error("write", path, io::Error::from(kind));
            assert!(err.to_string().contains(words), "{err}");
        }
        let denied = io_error(
            "write",
            path,
            io::Error::from(io::ErrorKind::PermissionDenied),
        );
        assert!(matches!(denied, Error::FileAccess { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn emfile_is_named_with_the_limit_not_blamed_on_permissions() {
        let path = Path::new("/x/config.toml");
        let err = io_error("read", path, io::Error::from_raw_os_error(libc::EMFILE));
        assert!(matches!(err, Error::TooManyOpenFiles { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.starts_with("cannot read /x/config.toml: too many open files"),
            "{text}"
        );
        let hint = err.hint().unwrap();
        assert!(
            hint.contains("ulimit -n") && !hint.contains("permission"),
            "{hint}"
        );
    }
}
