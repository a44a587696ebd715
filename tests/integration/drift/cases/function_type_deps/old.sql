CREATE TABLE ledger (id int PRIMARY KEY, amount numeric);
