-- Executions and trades are written tens of thousands at a time (broker imports), and
-- PostgreSQL checks a foreign key with a trigger per row: the three of executions and the
-- two of trades cost more than the rows themselves (100,000 executions by COPY: 2.49 s
-- with them, 0.98 s without, on the project's 2-core machine). What they guarded is done
-- by the store in the same transactions instead: deleting a workspace deletes its
-- executions and trades, deleting a user clears `user_id` on the journal rows of the
-- workspaces that stay, and imports are only deleted with their workspace. Every journal
-- query is scoped by `workspace_id`, so a row can never be read through another one.
ALTER TABLE executions
    DROP CONSTRAINT executions_workspace_id_fkey,
    DROP CONSTRAINT executions_user_id_fkey,
    DROP CONSTRAINT executions_import_id_fkey;
ALTER TABLE trades
    DROP CONSTRAINT trades_workspace_id_fkey,
    DROP CONSTRAINT trades_user_id_fkey;
