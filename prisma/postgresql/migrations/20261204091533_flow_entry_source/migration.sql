-- Ledger entries of the "Award loyalty points" Shopify Flow action (issue #12). SQLite keeps enums
-- as text, so only PostgreSQL has a type to extend.

-- AlterEnum
ALTER TYPE "EntrySource" ADD VALUE 'FLOW';

