// A certified OAuth 2.0 / OpenID Connect server (panva's oidc-provider) for
// jira-spoke's peer tests: `node oidc.mjs` listens on a loopback port the
// system chooses and prints `ready PORT` once it answers.
// Clients: a confidential 3LO client (authorization code + PKCE required +
// rotating refresh tokens), a service client (client credentials), and an
// introspection client the tests use to check issued tokens.
//
// jira-spoke's two clients are registered with `client_secret_post`: jira-spoke
// sends client_id and client_secret in the form body (oauth2's
// AuthType::RequestBody), because that is how Atlassian documents its token
// endpoint and HTTP Basic there is unconfirmed. RFC 6749 §2.3.1 allows it; a
// server where the app is registered for Basic would answer invalid_client.
import http from 'node:http';
import Provider from 'oidc-provider';

const spokeScopes = [
  'manage:jira-configuration', 'manage:jira-project', 'manage:jira-webhook',
  'read:jira-work', 'read:jira-user', 'write:jira-work',
  'delete:sprint:jira-software', 'read:issue-details:jira', 'read:jql:jira',
  'read:sprint:jira-software', 'write:sprint:jira-software',
  'read:board-scope:jira-software', 'read:project:jira',
];

const configuration = {
  clients: [
    {
      client_id: 'jira-spoke-3lo',
      client_secret: '3lo-secret-ABC123xyz',
      application_type: 'native', // loopback redirect: any port (RFC 8252)
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: 'jira-spoke-svc',
      client_secret: 'svc-secret-DEF456xyz',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: 'introspector',
      client_secret: 'introspector-secret',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
  },
  scopes: ['openid', 'offline_access', ...spokeScopes],
  extraParams: ['audience'],
  pkce: { required: () => true },
  rotateRefreshToken: true,
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: { AccessToken: 3600, ClientCredentials: 600, RefreshToken: 86400, Grant: 86400, Session: 3600, Interaction: 600 },
};

// The issuer URL holds the port, so the port comes first: bind port 0, then
// build the provider for the port the system gave, then serve it.
const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const provider = new Provider(`http://127.0.0.1:${port}`, configuration);
  provider.proxy = false;
  server.on('request', provider.callback());
  console.log(`ready ${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
