#include "core/demo/demowriter.h"

#include "core/db/connection.h"

#include <pqxx/pqxx>

#include <chrono>
#include <random>

namespace envsync::demo {

DemoWriter::DemoWriter(Options options)
    : m_options(std::move(options))
{
}

DemoWriter::~DemoWriter()
{
    (void)stop();
}

void DemoWriter::start()
{
    m_thread = std::jthread([this](const std::stop_token &stop) { run(stop); });
}

std::string DemoWriter::stop()
{
    if (m_thread.joinable()) {
        m_thread.request_stop();
        m_thread.join();
    }
    const std::lock_guard lock(m_mutex);
    return m_error;
}

namespace {

std::vector<std::int64_t> ids(pqxx::connection &connection, const std::string &sql)
{
    pqxx::nontransaction tx(connection);
    std::vector<std::int64_t> out;
    for (const auto &row : tx.exec(sql))
        out.push_back(row[0].as<std::int64_t>());
    return out;
}

} // namespace

void DemoWriter::run(const std::stop_token &stop)
{
    try {
        db::ConnectOptions connectOptions;
        connectOptions.applicationName = "envsync demo writer";
        auto connected = db::connect(m_options.dsn, connectOptions, "source");
        if (!connected) {
            const std::lock_guard lock(m_mutex);
            m_error = connected.error().describe();
            return;
        }
        pqxx::connection &connection = **connected;
        std::mt19937_64 random(m_options.seed);
        auto pick = [&](const std::vector<std::int64_t> &from) {
            return from[random() % from.size()];
        };
        auto customers = ids(connection, "SELECT id FROM customers ORDER BY id LIMIT 300");
        auto orders = ids(connection, "SELECT id FROM orders ORDER BY id LIMIT 300");
        auto tickets = ids(connection, "SELECT id FROM support_tickets ORDER BY id LIMIT 300");
        const auto products = ids(connection, "SELECT id FROM products ORDER BY id LIMIT 50");
        std::vector<std::int64_t> mine; // orders this workload inserted (safe to delete)
        // Ids of this run: far above the seeded ones and distinct per seed and per start.
        std::int64_t next
                = 40'000'000'000LL + static_cast<std::int64_t>(m_options.seed) * 1'000'000'000LL
                  + ids(connection, "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint"
                                    " % 1000000000")
                            .front();
        const auto started = std::chrono::steady_clock::now();
        while (!stop.stop_requested()) {
            const unsigned op = m_options.updatesOnly ? static_cast<unsigned>(random() % 30) + 30
                                                      : static_cast<unsigned>(random() % 100);
            pqxx::work tx(connection);
            std::int64_t changes = 1;
            if (op < 30) {
                const std::int64_t id = ++next;
                const std::string tag = std::to_string(id);
                tx.exec_params("INSERT INTO customers (id, first_name, last_name, full_name, email,"
                               " phone, birth_date, street, city, postal_code, country, iban,"
                               " card_number, created_at, updated_at) VALUES ($1::bigint, 'Cdc',"
                               " 'Leak', 'Cdc Leak ' || $2::text, 'cdc.' || $2::text ||"
                               " '@leak.example', '+1-555-' || $2::text, date '1980-01-01' +"
                               " ($1::bigint % 9000)::int, $2::text || ' Leak Street',"
                               " 'Springfield', 'P' || $2::text, 'US',"
                               " 'DE89' || lpad($2::text, 18, '0'),"
                               " '4111' || lpad($2::text, 12, '0'), now(), now())",
                               id, tag);
                tx.exec_params("INSERT INTO orders (id, customer_id, ordered_at, status, total,"
                               " ship_to) VALUES ($1::bigint, $1::bigint, now(), 'new', 10,"
                               " $2::text || ' Leak Road')",
                               id, tag);
                const int lines = 1 + static_cast<int>(random() % 3);
                for (int line = 1; line <= lines; ++line)
                    tx.exec_params("INSERT INTO order_items (order_id, line_no, product_id,"
                                   " quantity, unit_price) VALUES ($1, $2, $3, 1, 9.99)",
                                   id, line, pick(products));
                tx.exec_params(
                        "INSERT INTO payments (id, order_id, amount, method, card_last4,"
                        " paid_at) VALUES ($1::bigint, $1::bigint, 10, 'card', right($2::text, 4),"
                        " now())",
                        id, tag);
                changes = 3 + lines;
                customers.push_back(id);
                mine.push_back(id);
            } else if (op < 45) {
                tx.exec_params("UPDATE customers SET phone = '+1-555-' || $2::text, city = $3"
                               " WHERE id = $1",
                               pick(customers), std::to_string(random() % 100000),
                               std::string(random() % 2 ? "Paris" : "Lima"));
            } else if (op < 55) {
                tx.exec_params("UPDATE orders SET status = 'paid', total = total + 1 WHERE id = $1",
                               pick(orders));
            } else if (op < 63 && !tickets.empty()) {
                const std::size_t index = random() % tickets.size();
                const std::int64_t newId = ++next;
                tx.exec_params("UPDATE support_tickets SET id = $2 WHERE id = $1", tickets[index],
                               newId);
                tickets[index] = newId;
            } else if (op < 73 && mine.size() > 3) {
                const std::size_t index = random() % mine.size();
                const std::int64_t id = mine[index];
                mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(index));
                tx.exec_params("DELETE FROM payments WHERE order_id = $1", id);
                tx.exec_params("DELETE FROM orders WHERE id = $1", id);
                changes = 3;
            } else if (op < 83) {
                tx.exec_params("UPDATE order_items SET quantity = quantity + 1 WHERE order_id = $1",
                               mine.empty() ? pick(orders) : pick(mine));
            } else if (op < 90) {
                const std::int64_t id = ++next;
                tx.exec_params("INSERT INTO support_tickets (id, customer_id, opened_at, subject,"
                               " body) VALUES ($1::bigint, $2::bigint, now(), 'Refund', 'Call me at"
                               " +1-555-' || $1::text || ' or write to leak.' || $1::text ||"
                               " '@leak.example')",
                               id, pick(customers));
                tickets.push_back(id);
            } else if (op < 95 && m_options.loyalty) {
                tx.exec_params("INSERT INTO loyalty (customer_id, points, note) VALUES ($1, $2,"
                               " 'tab\there, quote'' and ü')",
                               pick(customers), static_cast<int>(random() % 500));
            } else if (m_options.ssn) {
                tx.exec_params("UPDATE customers SET ssn = 'SSN-' || $2::text WHERE id = $1",
                               pick(customers), std::to_string(random() % 1000000));
            } else {
                tx.exec_params("UPDATE products SET price = price + 0.01 WHERE id = $1",
                               pick(products));
            }
            tx.commit();
            ++m_transactions;
            m_changes += changes;
            if (m_options.rate > 0) {
                // Paced against the start, so a slow transaction is made up by the next ones.
                const auto due = started
                                 + std::chrono::microseconds(m_transactions.load() * 1000000LL
                                                             / m_options.rate);
                std::this_thread::sleep_until(due);
            } else if (m_options.pauseMicros > 0) {
                std::this_thread::sleep_for(std::chrono::microseconds(m_options.pauseMicros));
            }
        }
    } catch (const std::exception &e) {
        const std::lock_guard lock(m_mutex);
        m_error = e.what();
    }
}

} // namespace envsync::demo
