-- Deleting a member cost about 2 ms on SQLite (issue #15): the delete trigger found the member's
-- MemberSearch row by MATCH on its indexed cuid, whose trigrams ("cmx"…) are in nearly every row,
-- so a shop/redact of 1M members would have held the write lock for about half an hour. Each
-- search row now has a stable integer key: MemberSearchKey gives a member's MemberSearch rowid (its
-- INTEGER PRIMARY KEY survives VACUUM, unlike Member's implicit rowid), and the triggers reach the
-- row by it. "memberId" is no longer indexed: nothing searches it, and its trigrams made the index
-- larger. docs/decisions/0008-member-search-indexes.md.
DROP TRIGGER "Member_search_insert";
DROP TRIGGER "Member_search_update";
DROP TRIGGER "Member_search_delete";
DROP TABLE "MemberSearch";

CREATE TABLE "MemberSearchKey" (
    "key" INTEGER NOT NULL PRIMARY KEY,
    "memberId" TEXT NOT NULL
);
CREATE UNIQUE INDEX "MemberSearchKey_memberId_key" ON "MemberSearchKey"("memberId");

CREATE VIRTUAL TABLE "MemberSearch" USING fts5("memberId" UNINDEXED, "shop" UNINDEXED, "text", tokenize = 'trigram');

INSERT INTO "MemberSearchKey" ("memberId") SELECT "id" FROM "Member";
INSERT INTO "MemberSearch" ("rowid", "memberId", "shop", "text")
SELECT k."key", m."id", m."shop", coalesce(m."email", '') || ' ' || coalesce(m."firstName", '') || ' ' || coalesce(m."lastName", '')
FROM "Member" m JOIN "MemberSearchKey" k ON k."memberId" = m."id";

CREATE TRIGGER "Member_search_insert" AFTER INSERT ON "Member" BEGIN
  INSERT INTO "MemberSearchKey" ("memberId") VALUES (new."id");
  INSERT INTO "MemberSearch" ("rowid", "memberId", "shop", "text")
  VALUES ((SELECT "key" FROM "MemberSearchKey" WHERE "memberId" = new."id"), new."id", new."shop",
    coalesce(new."email", '') || ' ' || coalesce(new."firstName", '') || ' ' || coalesce(new."lastName", ''));
END;

-- Every order's upsert sets these columns; only a real change rewrites the row.
CREATE TRIGGER "Member_search_update" AFTER UPDATE OF "email", "firstName", "lastName" ON "Member"
WHEN old."email" IS NOT new."email" OR old."firstName" IS NOT new."firstName" OR old."lastName" IS NOT new."lastName"
BEGIN
  UPDATE "MemberSearch" SET "text" = coalesce(new."email", '') || ' ' || coalesce(new."firstName", '') || ' ' || coalesce(new."lastName", '')
  WHERE "rowid" = (SELECT "key" FROM "MemberSearchKey" WHERE "memberId" = old."id");
END;

CREATE TRIGGER "Member_search_delete" AFTER DELETE ON "Member" BEGIN
  DELETE FROM "MemberSearch" WHERE "rowid" = (SELECT "key" FROM "MemberSearchKey" WHERE "memberId" = old."id");
  DELETE FROM "MemberSearchKey" WHERE "memberId" = old."id";
END;
