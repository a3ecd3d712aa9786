-- Members search by any part of an email address or name (issue #15: LIKE '%…%' over three columns
-- took 4.7–7.5 s at 1M members). FTS5's trigram tokenizer indexes every 3-character substring,
-- ignoring case, so a word of 3+ characters is found through the index wherever it appears.
-- Prisma cannot declare a full-text table or triggers: docs/decisions/0008-member-search-indexes.md.
--
-- "memberId" is indexed too, so the triggers find a member's row by MATCH rather than a scan (the
-- app's ids are 25-character cuids; an id under 3 characters could not be found that way).
-- A migration that rebuilds "Member" drops these triggers: test/foundation/database.test.ts
-- checks they exist after every migration.
CREATE VIRTUAL TABLE "MemberSearch" USING fts5("memberId", "shop" UNINDEXED, "text", tokenize = 'trigram');

INSERT INTO "MemberSearch" ("memberId", "shop", "text")
SELECT "id", "shop", coalesce("email", '') || ' ' || coalesce("firstName", '') || ' ' || coalesce("lastName", '')
FROM "Member";

CREATE TRIGGER "Member_search_insert" AFTER INSERT ON "Member" BEGIN
  INSERT INTO "MemberSearch" ("memberId", "shop", "text")
  VALUES (new."id", new."shop", coalesce(new."email", '') || ' ' || coalesce(new."firstName", '') || ' ' || coalesce(new."lastName", ''));
END;

-- Every order's upsert sets these columns; only a real change rewrites the row.
CREATE TRIGGER "Member_search_update" AFTER UPDATE OF "email", "firstName", "lastName" ON "Member"
WHEN old."email" IS NOT new."email" OR old."firstName" IS NOT new."firstName" OR old."lastName" IS NOT new."lastName"
BEGIN
  DELETE FROM "MemberSearch" WHERE "MemberSearch" MATCH ('memberId : "' || replace(old."id", '"', '""') || '"') AND "memberId" = old."id";
  INSERT INTO "MemberSearch" ("memberId", "shop", "text")
  VALUES (new."id", new."shop", coalesce(new."email", '') || ' ' || coalesce(new."firstName", '') || ' ' || coalesce(new."lastName", ''));
END;

CREATE TRIGGER "Member_search_delete" AFTER DELETE ON "Member" BEGIN
  DELETE FROM "MemberSearch" WHERE "MemberSearch" MATCH ('memberId : "' || replace(old."id", '"', '""') || '"') AND "memberId" = old."id";
END;
