-- Redflag schema, version 5: the bot's safety paths. Same conventions as 0001 (times BIGINT ms since
-- the Unix epoch, UTC; no raw chat identities, only the keyed hashes of 0002).

-- A conversation is marked when someone in it asked for help (and was sent the hotline) and when a
-- buyer in it asked about age or youth (and was sent the stronger deterrence message). NULL: never.
ALTER TABLE bot_conversations ADD COLUMN help_at BIGINT;
ALTER TABLE bot_conversations ADD COLUMN minor_at BIGINT;

-- New daily counters: conversations in which someone asked for help (job-check chats count under
-- decoy ad `-`), opt-outs (STOP), and conversations flagged for a minor cue.
ALTER TABLE bot_stats ADD COLUMN help_requests BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bot_stats ADD COLUMN opt_outs BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bot_stats ADD COLUMN minor_cues BIGINT NOT NULL DEFAULT 0;

-- Chats that wrote STOP: the bot sends them nothing until they write START, which deletes the row.
-- Apart from the conversations so that the retention purge of idle conversations cannot undo an
-- opt-out, and so that job-check chats, which have no conversation, can opt out too.
CREATE TABLE bot_opt_outs (
    channel TEXT NOT NULL,
    chat_hash TEXT NOT NULL,
    persona TEXT NOT NULL,
    opted_out_at BIGINT NOT NULL,
    PRIMARY KEY (channel, chat_hash, persona)
);
