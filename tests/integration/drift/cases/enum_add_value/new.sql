CREATE TYPE order_status AS ENUM ('draft', 'new', 'paid', 'shipped', 'delivered', 'returned');
CREATE TABLE orders (id int PRIMARY KEY, status order_status NOT NULL DEFAULT 'new');
