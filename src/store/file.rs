//! [`FileStore`]: secrets in a plaintext JSON file (mode 0600) in the config
//! directory, for machines without a usable keyring. Used only when asked for
//! (`--store file` or `JIRA_SPOKE_STORE=file`), never as a silent fallback;
//! commands warn when they write to it.
//!
//! It holds every connection's secrets at once, so it is rewritten only when
//! it was read whole: a file with fields this version does not know is an
//! error, not an empty store (the next write would drop the other
//! connections' secrets). It is never read or written through a symlink, and
//! never kept in a directory others can write.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::de::DeserializeSeed;
use serde::{Deserialize, Serialize};

use super::atomic;
use super::lock;
use super::secrets::{SecretRef, SecretSnapshot, SecretStore, StoreKind};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// File name of the plaintext store inside the config directory.
pub const FILE_NAME: &str = "secrets.json";

/// How long to wait for another process writing the file.
const LOCK_WAIT: Duration = Duration::from_secs(30);

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Contents {
    #[serde(default)]
    secrets: BTreeMap<String, String>,
}

/// The plaintext secret file.
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    /// The store in `config_dir`.
    pub fn new(config_dir: &Path) -> Self {
        FileStore {
            path: config_dir.join(FILE_NAME),
        }
    }

    /// Where the secrets are written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    fn read_text(&self) -> Result<Option<String>> {
        atomic::check_private_dir(self.dir())?;
        atomic::read_secret_file(&self.path).map_err(|e| match e {
            Error::ConfigParse { path, reason } => Error::SecretFileUnreadable { path, reason },
            other => other,
        })
    }

    fn read(&self) -> Result<Contents> {
        match self.read_text()? {
            None => Ok(Contents::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| self.unreadable(e)),
        }
    }

    fn unreadable(&self, e: serde_json::Error) -> Error {
        Error::SecretFileUnreadable {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    fn modify<R>(&self, change: impl FnOnce(&mut Contents) -> R) -> Result<R> {
        atomic::check_private_dir(self.dir())?;
        let _lock = lock::lock(
            &self.path.with_file_name(".secrets.lock"),
            "writing secrets.json",
            LOCK_WAIT,
        )?;
        let mut contents = self.read()?;
        let result = change(&mut contents);
        let text = serde_json::to_string_pretty(&contents)
            .map_err(|e| Error::Internal(format!("cannot serialize secrets: {e}")))?;
        atomic::write_private(&self.path, text.as_bytes())?;
        Ok(result)
    }
}

fn key(r: &SecretRef) -> String {
    r.to_string()
}

impl SecretStore for FileStore {
    fn kind(&self) -> StoreKind {
        StoreKind::File
    }

    fn probe(&self) -> Result<()> {
        self.modify(|_| ())
    }

    fn get(&self, r: &SecretRef) -> Result<Option<Secret>> {
        let mut found = self.pick(&[key(r)])?;
        Ok(found.pop_first().map(|(_, value)| Secret::new(value)))
    }

    fn set(&self, r: &SecretRef, secret: &Secret) -> Result<()> {
        self.modify(|c| {
            c.secrets.insert(key(r), secret.expose().to_owned());
        })
    }

    fn delete(&self, r: &SecretRef) -> Result<bool> {
        self.modify(|c| c.secrets.remove(&key(r)).is_some())
    }

    fn set_many(&self, entries: &[(SecretRef, Secret)]) -> Result<()> {
        self.modify(|c| {
            for (r, secret) in entries {
                c.secrets.insert(key(r), secret.expose().to_owned());
            }
        })
    }

    fn get_many(&self, refs: &[SecretRef]) -> SecretSnapshot {
        let keys: Vec<String> = refs.iter().map(key).collect();
        match self.pick(&keys) {
            Ok(found) => SecretSnapshot::from_entries(
                refs.iter()
                    .zip(&keys)
                    .map(|(r, k)| (r.clone(), Ok(found.get(k).map(Secret::new)))),
            ),
            Err(err) => SecretSnapshot::failed(err),
        }
    }
}

impl FileStore {
    /// The entries at `keys`, picked out while parsing: the file holds every
    /// connection's secrets, and the others are only checked, not copied
    /// (`token` of one connection among a thousand reads two).
    fn pick(&self, keys: &[String]) -> Result<BTreeMap<String, String>> {
        let Some(text) = self.read_text()? else {
            return Ok(BTreeMap::new());
        };
        let wanted: HashSet<&str> = keys.iter().map(String::as_str).collect();
        let mut json = serde_json::Deserializer::from_str(&text);
        pick::Entries(&wanted)
            .deserialize(&mut json)
            .and_then(|found| json.end().map(|()| found))
            .map_err(|e| self.unreadable(e))
    }
}

/// Reading some entries of the file as [`Contents`] would read it (unknown or
/// repeated fields refused) without copying the others.
mod pick {
    use std::collections::{BTreeMap, HashSet};
    use std::fmt;

    use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

    /// The entries of `secrets` whose keys are in `.0`.
    pub struct Entries<'k>(pub &'k HashSet<&'k str>);

    impl<'de> DeserializeSeed<'de> for Entries<'_> {
        type Value = BTreeMap<String, String>;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Entries<'_> {
        type Value = BTreeMap<String, String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("struct Contents")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = BTreeMap::new();
            let mut seen = false;
            while let Some(field) = map.next_key::<String>()? {
                if field != "secrets" {
                    return Err(de::Error::unknown_field(&field, &["secrets"]));
                }
                if seen {
                    return Err(de::Error::duplicate_field("secrets"));
                }
                seen = true;
                found = map.next_value_seed(Secrets(self.0))?;
            }
            Ok(found)
        }
    }

    struct Secrets<'k>(&'k HashSet<&'k str>);

    impl<'de> DeserializeSeed<'de> for Secrets<'_> {
        type Value = BTreeMap<String, String>;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Secrets<'_> {
        type Value = BTreeMap<String, String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map of secrets")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = BTreeMap::new();
            while let Some(wanted) = map.next_key_seed(Wanted(self.0))? {
                if let Some(key) = wanted {
                    // NOTE: a repeated key keeps its last value, as the
                    // whole read into a map does.
                    found.insert(key, map.next_value::<String>()?);
                } else {
                    // Checked to be a string, as the whole read would.
                    map.next_value_seed(AnyString)?;
                }
            }
            Ok(found)
        }
    }

    /// A key, copied only when it is one of those wanted.
    struct Wanted<'k>(&'k HashSet<&'k str>);

    impl<'de> DeserializeSeed<'de> for Wanted<'_> {
        type Value = Option<String>;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for Wanted<'_> {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<String>, E> {
            Ok(self.0.contains(v).then(|| v.to_owned()))
        }
    }

    /// A string, not kept.
    struct AnyString;

    impl<'de> DeserializeSeed<'de> for AnyString {
        type Value = IgnoredAny;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<IgnoredAny, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for AnyString {
        type Value = IgnoredAny;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<IgnoredAny, E> {
            Ok(IgnoredAny)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let r = SecretRef::new("jira-spoke", "prod", "client_secret");
        assert_eq!(store.get(&r).unwrap(), None);
        store.set(&r, &Secret::new("s3cret")).unwrap();
        assert_eq!(store.get(&r).unwrap().unwrap().expose(), "s3cret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(store.delete(&r).unwrap());
        assert!(!store.delete(&r).unwrap());
    }

    #[test]
    fn get_many_reads_every_entry_or_says_why_none() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let a = SecretRef::new("jira-spoke", "a", "client_secret:x1");
        let b = SecretRef::new("jira-spoke", "b", "client_secret:x2");
        let gone = SecretRef::new("jira-spoke", "c", "client_secret:x3");
        store.set(&a, &Secret::new("one")).unwrap();
        store.set(&b, &Secret::new("two")).unwrap();
        let refs = [a.clone(), b.clone(), gone.clone(), a.clone()];
        let snapshot = store.get_many(&refs);
        let value = |r| {
            snapshot
                .get(r)
                .unwrap()
                .unwrap()
                .map(|s| s.expose().to_owned())
        };
        assert_eq!(value(&a).as_deref(), Some("one"));
        assert_eq!(value(&b).as_deref(), Some("two"));
        assert_eq!(value(&gone), None, "missing, not an error");
        let unasked = SecretRef::new("jira-spoke", "d", "client_secret:x4");
        assert!(snapshot.get(&unasked).is_none());

        std::fs::write(store.path(), "{not json").unwrap();
        let snapshot = store.get_many(&refs);
        for r in &refs {
            let err = snapshot.get_owned(r).unwrap().unwrap_err();
            assert!(matches!(err, Error::SecretFileUnreadable { .. }), "{err:?}");
        }
    }

    #[test]
    fn set_many_stores_every_entry_in_one_write_and_keeps_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let kept = SecretRef::new("jira-spoke", "a", "client_secret:x1");
        store.set(&kept, &Secret::new("kept")).unwrap();
        let replaced = SecretRef::new("jira-spoke", "b", "access_token:x2");
        store.set(&replaced, &Secret::new("old")).unwrap();
        let added = SecretRef::new("jira-spoke", "c", "access_token:x3");
        let written = || std::fs::metadata(store.path()).unwrap().modified().unwrap();
        let before = written();
        std::thread::sleep(std::time::Duration::from_millis(20));
        store
            .set_many(&[
                (replaced.clone(), Secret::new("new")),
                (added.clone(), Secret::new("added")),
            ])
            .unwrap();
        assert_ne!(written(), before);
        let value = |r| store.get(r).unwrap().map(|s| s.expose().to_owned());
        assert_eq!(value(&kept).as_deref(), Some("kept"));
        assert_eq!(value(&replaced).as_deref(), Some("new"));
        assert_eq!(value(&added).as_deref(), Some("added"));

        // A file it must not rewrite is left as it is, every entry unset.
        std::fs::write(store.path(), r#"{"secrets":{},"extra":1}"#).unwrap();
        assert!(
            store
                .set_many(&[(added.clone(), Secret::new("x"))])
                .is_err()
        );
        assert_eq!(
            std::fs::read_to_string(store.path()).unwrap(),
            r#"{"secrets":{},"extra":1}"#
        );
    }

    #[test]
    fn one_entry_is_read_as_the_whole_file_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let r = SecretRef::new("jira-spoke", "a", "client_secret:x1");
        for (text, expected) in [
            (
                r#"{"secrets":{"jira-spoke/a:client_secret:x1":"s\"1"}}"#,
                Ok(Some("s\"1")),
            ),
            (
                r#"{"secrets":{"other":"x","jira-spoke/a:client_secret:x1":"one"}}"#,
                Ok(Some("one")),
            ),
            (
                r#"{"secrets":{"jira-spoke\/a:client_secret:x1":"esc"}}"#,
                Ok(Some("esc")),
            ),
            (r#"{"secrets":{"other":"x"}}"#, Ok(None)),
            (r#"{}"#, Ok(None)),
            (r#"{"secrets":{"other":7}}"#, Err("invalid type")),
            (r#"{"secrets":{},"version":2}"#, Err("unknown field")),
            (r#"{"secrets":{},"secrets":{}}"#, Err("duplicate field")),
            (r#"{"secrets":{}} trailing"#, Err("trailing characters")),
        ] {
            std::fs::write(store.path(), text).unwrap();
            let one = store.get(&r).map(|s| s.map(|s| s.expose().to_owned()));
            let whole = store.read().map(|c| c.secrets.get(&key(&r)).cloned());
            match expected {
                Ok(value) => {
                    assert_eq!(one.as_ref().unwrap().as_deref(), value, "{text}");
                    assert_eq!(whole.unwrap().as_deref(), value, "{text}");
                }
                Err(words) => {
                    let err = one.unwrap_err().to_string();
                    assert!(err.contains(words), "{text}: {err}");
                    assert!(whole.is_err(), "{text}");
                }
            }
        }
    }

    #[test]
    fn a_file_with_unknown_fields_is_refused_and_never_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        // A newer format, or a hand edit: the other connections' secrets are in it.
        let text = r#"{"version":2,"entries":{"jira-spoke/prod:client_secret:ab12":"s3cret"}}"#;
        std::fs::write(store.path(), text).unwrap();
        let r = SecretRef::new("jira-spoke", "staging", "client_secret:cd34");
        let err = store.set(&r, &Secret::new("other")).unwrap_err();
        assert!(matches!(err, Error::SecretFileUnreadable { .. }), "{err:?}");
        assert!(err.to_string().contains("unknown field"), "{err}");
        assert!(err.hint().unwrap().contains("never rewrites"), "{err:?}");
        assert!(store.get(&r).is_err(), "not read as empty");
        assert!(store.probe().is_err());
        assert_eq!(std::fs::read_to_string(store.path()).unwrap(), text);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_file_or_a_shared_directory_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.json");
        std::fs::write(&elsewhere, r#"{"secrets":{}}"#).unwrap();
        let private = dir.path().join("private");
        std::fs::create_dir(&private).unwrap();
        std::os::unix::fs::symlink(&elsewhere, private.join(FILE_NAME)).unwrap();
        let r = SecretRef::new("jira-spoke", "prod", "client_secret");
        let err = FileStore::new(&private)
            .set(&r, &Secret::new("s3cret"))
            .unwrap_err();
        assert!(matches!(err, Error::UnsafeSecretFile { .. }), "{err:?}");
        assert_eq!(
            std::fs::read_to_string(&elsewhere).unwrap(),
            r#"{"secrets":{}}"#
        );

        let team = dir.path().join("team");
        std::fs::create_dir(&team).unwrap();
        std::fs::set_permissions(&team, std::fs::Permissions::from_mode(0o2775)).unwrap();
        let store = FileStore::new(&team);
        let err = store.set(&r, &Secret::new("s3cret")).unwrap_err();
        assert!(matches!(err, Error::SharedDirectory { .. }), "{err:?}");
        assert!(store.get(&r).is_err());
        assert!(!store.path().exists());
        let mode = std::fs::metadata(&team).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o2775, "mode changed silently");
    }
}
