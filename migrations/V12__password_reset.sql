-- Issue 12 item 5: an admin can reset a person's password to a temporary one, which that person must
-- replace at their next sign-in; until then Linger shows them nothing but the account page.
ALTER TABLE app_user ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
