CREATE TABLE logs (id bigint NOT NULL, at date NOT NULL, level text) PARTITION BY RANGE (at);
CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE logs_2025 PARTITION OF logs FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX logs_level_idx ON logs (level, at);
CREATE INDEX logs_at_idx ON logs USING brin (at);
ALTER TABLE logs ADD CONSTRAINT logs_level_check CHECK (level IN ('info', 'warn', 'error'));
