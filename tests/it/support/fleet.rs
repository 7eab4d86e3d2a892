//! A fleet of stored connections written straight into `config.toml`,
//! `secrets.json` and `connections/<name>/` — running `connect` a thousand
//! times takes minutes — in the format `src/store/config.rs`,
//! `src/store/file.rs` and `src/store/token_state.rs` read: client
//! credentials (or authorization code) against the fake, each with a cached
//! access token the fake accepts (`accept_any_bearer`) and the file store.

use std::fmt::Write;

use super::{FakeAtlassian, TestEnv, fake::SPOKE_SCOPES};

/// The Jira site (cloud ID) every connection of a fleet is on.
pub(crate) const FLEET_CLOUD_ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

/// Writes `n` connections `c0000`, `c0001`, … to `env`'s config and file
/// store, every one verifiable against `fake`; returns their names.
pub(crate) fn write_fleet(env: &TestEnv, fake: &FakeAtlassian, n: usize) -> Vec<String> {
    write(env, fake, n, Kind::ClientCredentials)
}

/// [`write_fleet`] of authorization-code connections, each with a refresh
/// token of its own consent ([`FakeAtlassian::consented_refresh_tokens`])
/// and an access token the fake takes as any bearer, not its own: the
/// accessible-resources check needs one it issued, so verify these after
/// [`TestEnv::expire_tokens`].
pub(crate) fn write_fleet_3lo(env: &TestEnv, fake: &FakeAtlassian, n: usize) -> Vec<String> {
    write(env, fake, n, Kind::AuthorizationCode)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    ClientCredentials,
    AuthorizationCode,
}

fn write(env: &TestEnv, fake: &FakeAtlassian, n: usize, kind: Kind) -> Vec<String> {
    fake.configure(|s| s.accept_any_bearer = true);
    let url = fake.url();
    let cloud_id = FLEET_CLOUD_ID;
    let scopes = SPOKE_SCOPES.join(" ");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let refresh_tokens = match kind {
        Kind::AuthorizationCode => fake.consented_refresh_tokens(n),
        Kind::ClientCredentials => Vec::new(),
    };
    let mut config = String::from("version = 1\n");
    let mut secrets = serde_json::Map::new();
    let mut states = Vec::new();
    let mut own_files = Vec::new();
    let names: Vec<String> = (0..n).map(|i| format!("c{i:04}")).collect();
    for (i, name) in names.iter().enumerate() {
        let grant = match kind {
            Kind::ClientCredentials => "grant = \"client-credentials\"\n".to_owned(),
            Kind::AuthorizationCode => {
                let requested: Vec<String> = SPOKE_SCOPES
                    .iter()
                    .chain(&["offline_access"])
                    .map(|s| format!("\"{s}\""))
                    .collect();
                format!(
                    "grant = \"authorization-code\"\nscopes = [{}]\n\
                     redirect_uri = \"http://127.0.0.1:8765/callback\"\n",
                    requested.join(", ")
                )
            }
        };
        write!(
            config,
            "\n[connections.{name}]\n{grant}site_url = \"{url}/\"\n\
             cloud_id = \"{cloud_id}\"\nconnection_url = \"{url}/ex/jira/{cloud_id}\"\n\
             api_version = 3\nserver_type = \"cloud\"\nclient_id = \"spoke-client-id\"\n\
             api_url = \"{url}/\"\nstore = \"file\"\n\n\
             [connections.{name}.oauth]\nauthorize_url = \"{url}/authorize\"\n\
             token_url = \"{url}/oauth/token\"\nrefresh_url = \"{url}/oauth/token\"\n\
             revocation_url = \"{url}/oauth/token\"\n"
        )
        .unwrap();
        let mut stored = vec![
            ("client_secret", "spoke-client-secret-XYZ123".to_owned()),
            ("access_token", format!("fake-at-fleet-{i}")),
        ];
        if let Some(refresh_token) = refresh_tokens.get(i) {
            stored.push(("refresh_token", refresh_token.clone()));
        }
        let mut tokens = serde_json::Map::new();
        for (what, value) in stored {
            let account = format!("{name}:{what}:fl01");
            write!(
                config,
                "\n[connections.{name}.secrets.{what}]\nservice = \"jira-spoke\"\naccount = \"{account}\"\n"
            )
            .unwrap();
            // The tokens in the connection's own file, the rest shared.
            let file = if what == "client_secret" {
                &mut secrets
            } else {
                &mut tokens
            };
            file.insert(format!("jira-spoke/{account}"), value.into());
        }
        own_files.push((
            name.clone(),
            serde_json::json!({ "secrets": tokens }).to_string(),
        ));
        let state = serde_json::json!({
            "access_token": { "service": "jira-spoke", "account": format!("{name}:access_token:fl01") },
            "expires_at": now + 86_400,
            "obtained_at": now,
            "scope": scopes,
        });
        states.push((name.clone(), state.to_string()));
    }
    let dir = env.config_dir();
    for (name, state) in states {
        private_dir(&dir.join("connections").join(&name));
        write_private(
            &dir.join("connections").join(&name).join("token.json"),
            state.as_bytes(),
        );
    }
    write_private(&dir.join("config.toml"), config.as_bytes());
    let secrets = serde_json::json!({ "secrets": secrets }).to_string();
    write_private(&dir.join("secrets.json"), secrets.as_bytes());
    for (name, tokens) in own_files {
        write_private(
            &dir.join("connections").join(name).join("secrets.json"),
            tokens.as_bytes(),
        );
    }
    names
}

fn private_dir(path: &std::path::Path) {
    std::fs::create_dir_all(path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

fn write_private(path: &std::path::Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}
