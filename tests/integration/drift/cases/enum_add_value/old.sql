CREATE TYPE order_status AS ENUM ('new', 'paid', 'delivered');
CREATE TABLE orders (id int PRIMARY KEY, status order_status NOT NULL DEFAULT 'new');
