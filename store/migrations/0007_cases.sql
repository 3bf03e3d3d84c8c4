-- Redflag schema, version 7: case files. Same conventions as 0001 (`@ID@` placeholder; times BIGINT ms
-- since the Unix epoch, UTC; flags BIGINT 0/1; ids BIGINT).

-- A case: leads (ads) grouped for hand-over to prosecutors or partner organisations. `state` is `open`,
-- `in_review` or `closed`; `assignee` is a dashboard username; `legal_hold` 1 keeps every ad of the case
-- (with its versions and evidence) from deletion on request and from the retention purge.
CREATE TABLE cases (
    id @ID@,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    assignee TEXT,
    legal_hold BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cases_state ON cases (state, updated_at);

-- The ads of a case.
CREATE TABLE case_ads (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    ad_id BIGINT NOT NULL REFERENCES ads(id),
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, ad_id)
);
CREATE INDEX case_ads_ad ON case_ads (ad_id);

-- A case's notes, append-only: never updated or deleted.
CREATE TABLE case_notes (
    id @ID@,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    author TEXT NOT NULL,
    at BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, id);
