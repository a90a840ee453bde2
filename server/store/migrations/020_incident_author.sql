-- Who posted, as a salted hash of the source's author id ('' when unknown). Never returned by any API:
-- hotspot detection uses it only to count one person's series of posts once.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS author_hash String DEFAULT '';
