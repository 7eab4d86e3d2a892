//! The one way tests run `jira-spoke connect` against the fake: a builder
//! with the usual answers filled in (client ID, secret, site, a curl
//! "browser" and a callback port for the browser flow), which a test
//! overrides where it is the point.
//!
//! ```ignore
//! let out = env.connect(&fake).grant(Grant::AuthorizationCode).name("user").run();
//! env.connect(&fake).name("ci").ok();               // panics unless exit 0
//! let child = env.connect(&fake).command().spawn(); // for races and kills
//! ```

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use super::{CheckedOutput, Cmd, FakeAtlassian, TestEnv, free_port, output_text};

/// The client ID the fake knows.
pub(crate) const CLIENT_ID: &str = "spoke-client-id";
/// The client secret the fake accepts.
pub(crate) const CLIENT_SECRET: &str = "spoke-client-secret-XYZ123";
/// The API token the fake's site accepts for [`API_EMAIL`].
pub(crate) const API_TOKEN: &str = "api-token-SECRET-456";
/// The site user of the API-token grant.
pub(crate) const API_EMAIL: &str = "admin@example.com";

/// `connect --grant …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grant {
    ClientCredentials,
    AuthorizationCode,
    ApiToken,
}

impl Grant {
    fn flag(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "client-credentials",
            Grant::AuthorizationCode => "authorization-code",
            Grant::ApiToken => "api-token",
        }
    }
}

/// How the connection names its site.
enum Target {
    Site(String),
    CloudId(String),
    None,
}

/// A `connect` run being put together; see the module docs.
pub(crate) struct Connect<'a> {
    env: &'a TestEnv,
    fake: &'a FakeAtlassian,
    grant: Grant,
    name: Option<String>,
    secret: Option<String>,
    client_id: Option<String>,
    email: Option<String>,
    target: Target,
    port: Option<u16>,
    browser: Option<PathBuf>,
    callback_timeout: Option<String>,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
    stdin: Option<String>,
    timeout: Duration,
}

impl TestEnv {
    /// `connect` through `fake`: client credentials, [`CLIENT_SECRET`] in
    /// the environment, `--site` the fake, the default connection name.
    pub(crate) fn connect<'a>(&'a self, fake: &'a FakeAtlassian) -> Connect<'a> {
        Connect {
            env: self,
            fake,
            grant: Grant::ClientCredentials,
            name: None,
            secret: Some(CLIENT_SECRET.to_owned()),
            client_id: Some(CLIENT_ID.to_owned()),
            email: None,
            target: Target::Site(fake.url()),
            port: None,
            browser: None,
            callback_timeout: Some("20".to_owned()),
            args: Vec::new(),
            envs: Vec::new(),
            stdin: None,
            timeout: Duration::from_secs(60),
        }
    }

    /// Connects `name` through the fake with the authorization-code grant, a
    /// curl "browser" giving consent at once; panics unless it succeeds.
    pub(crate) fn connect_3lo(&self, fake: &FakeAtlassian, name: &str) {
        self.connect(fake)
            .grant(Grant::AuthorizationCode)
            .name(name)
            .ok();
    }

    /// Connects `name` through the fake with the client-credentials grant;
    /// panics unless it succeeds.
    pub(crate) fn connect_cc(&self, fake: &FakeAtlassian, name: &str) {
        self.connect(fake).name(name).ok();
    }
}

impl<'a> Connect<'a> {
    /// The grant (default: client credentials). The API-token grant gets
    /// [`API_TOKEN`] as its secret and `--email` [`API_EMAIL`], and no
    /// client ID.
    pub(crate) fn grant(mut self, grant: Grant) -> Self {
        if grant == Grant::ApiToken && self.grant != Grant::ApiToken {
            self.secret = Some(API_TOKEN.to_owned());
            self.client_id = None;
            self.email = Some(API_EMAIL.to_owned());
        }
        self.grant = grant;
        self
    }

    /// `-c NAME` (default: none, so `default`).
    pub(crate) fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// The client secret (API token for [`Grant::ApiToken`]) put in the
    /// environment.
    pub(crate) fn secret(mut self, secret: &str) -> Self {
        self.secret = Some(secret.to_owned());
        self
    }

    /// No secret in the environment (`--client-secret-stdin`, prompts).
    pub(crate) fn no_secret(mut self) -> Self {
        self.secret = None;
        self
    }

    /// `--client-id` (default [`CLIENT_ID`]).
    pub(crate) fn client_id(mut self, client_id: &str) -> Self {
        self.client_id = Some(client_id.to_owned());
        self
    }

    /// `--email` of the API-token grant (default [`API_EMAIL`]).
    pub(crate) fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    /// `--site SITE` instead of the fake's URL.
    pub(crate) fn site(mut self, site: &str) -> Self {
        self.target = Target::Site(site.to_owned());
        self
    }

    /// `--cloud-id ID` instead of `--site`.
    pub(crate) fn cloud_id(mut self, id: &str) -> Self {
        self.target = Target::CloudId(id.to_owned());
        self
    }

    /// Neither `--site` nor `--cloud-id`.
    pub(crate) fn no_site(mut self) -> Self {
        self.target = Target::None;
        self
    }

    /// The loopback callback port of the browser flow (default: a free one).
    pub(crate) fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// `$BROWSER` for the browser flow (default: [`TestEnv::curl_browser`]).
    pub(crate) fn browser(mut self, browser: impl Into<PathBuf>) -> Self {
        self.browser = Some(browser.into());
        self
    }

    /// `--callback-timeout` of the browser flow (default 20).
    pub(crate) fn callback_timeout(mut self, secs: &str) -> Self {
        self.callback_timeout = Some(secs.to_owned());
        self
    }

    /// One more argument (global flags such as `--json`, `-vv` or
    /// `--timeout` may come after `connect` too).
    pub(crate) fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// More arguments.
    pub(crate) fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// One more environment variable.
    pub(crate) fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.envs.push((key.into(), value.into()));
        self
    }

    /// Text for stdin (with [`Connect::run`]).
    pub(crate) fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_owned());
        self
    }

    /// How long [`Connect::run`] lets the process run (default 60 s).
    pub(crate) fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The callback port this run uses (chosen now if not set), e.g. to
    /// write a browser script that knows it.
    pub(crate) fn callback_port(&mut self) -> u16 {
        *self.port.get_or_insert_with(free_port)
    }

    /// The command, for spawning (stdin text and timeout do not apply).
    pub(crate) fn command(mut self) -> std::process::Command {
        let mut cmd = self.env.std_cmd_with_fake(self.fake);
        if let Some(secret) = &self.secret {
            let var = match self.grant {
                Grant::ApiToken => "JIRA_SPOKE_API_TOKEN",
                _ => "JIRA_SPOKE_CLIENT_SECRET",
            };
            cmd.env(var, secret);
        }
        if let Some(name) = &self.name {
            cmd.args(["-c", name]);
        }
        cmd.args(["connect", "--grant", self.grant.flag()]);
        if let Some(client_id) = &self.client_id {
            cmd.args(["--client-id", client_id]);
        }
        if let Some(email) = &self.email {
            cmd.args(["--email", email]);
        }
        match &self.target {
            Target::Site(site) => cmd.args(["--site", site]),
            Target::CloudId(id) => cmd.args(["--cloud-id", id]),
            Target::None => &mut cmd,
        };
        if self.grant == Grant::AuthorizationCode {
            let port = self.callback_port();
            let browser = self
                .browser
                .take()
                .unwrap_or_else(|| self.env.curl_browser());
            cmd.env("BROWSER", browser).args([
                "--redirect-uri",
                &format!("http://127.0.0.1:{port}/callback"),
            ]);
            if let Some(secs) = &self.callback_timeout {
                cmd.args(["--callback-timeout", secs]);
            }
        }
        cmd.args(&self.args);
        for (key, value) in &self.envs {
            cmd.env(key, value);
        }
        cmd
    }

    /// Runs it to the end; the output has passed the secret check.
    pub(crate) fn run(self) -> std::process::Output {
        let (stdin, timeout) = (self.stdin.clone(), self.timeout);
        let mut cmd = Cmd::from_std(self.command());
        cmd.timeout(timeout);
        if let Some(text) = stdin {
            cmd.write_stdin(text);
        }
        cmd.checked_output()
    }

    /// [`Connect::run`], and panics unless it exits 0.
    pub(crate) fn ok(self) -> std::process::Output {
        let out = self.run();
        let (stdout, stderr) = output_text(&out);
        assert_eq!(
            out.status.code(),
            Some(0),
            "connect failed:\nstdout: {stdout}\nstderr: {stderr}"
        );
        out
    }
}
