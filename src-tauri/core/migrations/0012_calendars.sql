-- What each agreement's invoice calendar read gave (SPEC §16): the recap as ConnectWise sent it,
-- or its refusal; one row per agreement, replaced on each read.
CREATE TABLE cw_recaps (
    agreement_id INTEGER PRIMARY KEY,
    body         TEXT NOT NULL,
    read_at      TEXT NOT NULL
);
