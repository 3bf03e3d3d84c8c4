-- Redflag schema, version 8: API tokens. Same conventions as 0001.

-- Personal tokens for the JSON API. A token acts with its user's role at the time of use (a role change
-- applies at once; a disabled user's tokens stop working). Only the SHA-256 of the secret is stored.
-- Revoked tokens are kept (revoked_at set) so the token page and the audit log can still name them.
CREATE TABLE api_tokens (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    -- The first characters of the secret, shown so users can tell tokens apart.
    prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    expires_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
