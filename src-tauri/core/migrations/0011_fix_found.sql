-- What Reconcile found for a fix's product line is kept as a record (the line with both sides
-- and its outcome, the customer's name and company: JSON) and put into words when shown,
-- instead of as its sentence. Fixes made before keep their words in `words`; new ones leave it
-- empty and fill `found`.
ALTER TABLE fixes ADD COLUMN found TEXT;
