-- Redflag schema, version 2: the deterrence chatbot. Same conventions as 0001 (`@ID@`, `@BLOB@`, `@REAL@`
-- placeholders; times BIGINT ms since the Unix epoch, UTC; ids BIGINT).
--
-- Privacy: no table holds a raw chat id, user id, username, phone number or name. `chat_hash` is the
-- hex HMAC-SHA256 of the channel's chat id under a secret the store never sees; without the secret a copy
-- of the database cannot be linked back to an account.

-- One conversation per (channel, hashed chat, persona): where the state machine is, which language it
-- speaks, and which intent rules fired (the evidence for sending the deterrence message).
CREATE TABLE bot_conversations (
    id @ID@,
    channel TEXT NOT NULL,
    chat_hash TEXT NOT NULL,
    persona TEXT NOT NULL,
    decoy_ad TEXT NOT NULL,
    language TEXT,
    state TEXT NOT NULL,
    turns BIGINT NOT NULL DEFAULT 0,
    intent_score BIGINT NOT NULL DEFAULT 0,
    intent_rules TEXT,
    intent_at BIGINT,
    deterrence_at BIGINT,
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (channel, chat_hash, persona)
);
CREATE INDEX bot_conversations_updated ON bot_conversations (updated_at);

-- Message text, kept only when the operator switches transcripts on, and purged after the retention
-- period. `direction` is `in` (from the chat) or `out` (the bot's reply).
CREATE TABLE bot_transcripts (
    id @ID@,
    conversation_id BIGINT NOT NULL REFERENCES bot_conversations(id) ON DELETE CASCADE,
    direction TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX bot_transcripts_conversation ON bot_transcripts (conversation_id, id);
CREATE INDEX bot_transcripts_created ON bot_transcripts (created_at);

-- Daily counters per channel, persona and decoy ad: what NGO staff see. They outlive the purge of the
-- conversations they count. `day` is the UTC midnight that starts the day, in ms.
CREATE TABLE bot_stats (
    day BIGINT NOT NULL,
    channel TEXT NOT NULL,
    persona TEXT NOT NULL,
    decoy_ad TEXT NOT NULL,
    conversations BIGINT NOT NULL DEFAULT 0,
    intent BIGINT NOT NULL DEFAULT 0,
    deterrence BIGINT NOT NULL DEFAULT 0,
    closed_without_intent BIGINT NOT NULL DEFAULT 0,
    checks BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, channel, persona, decoy_ad)
);
