CREATE TABLE ledger (id int PRIMARY KEY, amount numeric);
CREATE TABLE accounts (id int PRIMARY KEY, balance numeric, currency char(3));
CREATE TYPE money_pair AS (amount numeric, currency char(3));
CREATE TYPE account_snapshot AS (account accounts, taken_at timestamptz);
CREATE FUNCTION as_pair(a accounts) RETURNS money_pair LANGUAGE sql IMMUTABLE
    AS $$ SELECT ROW(a.balance, a.currency)::money_pair $$;
CREATE FUNCTION snapshot_of(a accounts) RETURNS account_snapshot LANGUAGE sql STABLE
    AS $$ SELECT ROW(a, now())::account_snapshot $$;
CREATE FUNCTION rich_accounts(threshold numeric) RETURNS SETOF accounts LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT * FROM accounts WHERE balance > threshold;
END;
CREATE FUNCTION ledger_total() RETURNS numeric LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT sum(amount) FROM ledger;
END;
