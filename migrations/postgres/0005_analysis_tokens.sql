-- Tokens an LLM analyst used for an analysis (both attempts when it asked twice); NULL for
-- the technical analyst, or when the vendor did not report usage.
ALTER TABLE analyses ADD COLUMN tokens_used BIGINT;
