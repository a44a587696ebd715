#include "core/demo/democonfig.h"

#include "core/config/formats.h"
#include "core/demo/demoservices.h"

#include <fstream>
#include <sstream>

namespace envsync::demo {

namespace {

struct DemoRegion
{
    const char *name;
    const char *timezone;
    const char *byDay;
    const char *owner;
};

constexpr DemoRegion demoRegions[] = {
        {"eu", "Europe/Berlin", "MO", "qa-eu@example.com"},
        {"us", "America/New_York", "WE", "qa-us@example.com"},
        {"apac", "Asia/Tokyo", "FR", "qa-apac@example.com"},
};

constexpr const char *maskingRules = R"(masking:
  salt: { env: ENVSYNC_MASK_SALT }
  unclassified: fail
  rules:
    - { column: public.customers.first_name, transform: first_name }
    - { column: public.customers.last_name, transform: last_name }
    - { column: public.customers.full_name, transform: person_name }
    - { column: public.customers.email, transform: email, unique: true }
    - { column: public.customers.phone, transform: phone }
    - { column: public.customers.birth_date, transform: date_shift, days: 180 }
    - { column: public.customers.street, transform: address }
    - { column: public.customers.postal_code, transform: hash }
    - { column: public.customers.iban, transform: iban }
    - { column: public.customers.card_number, transform: credit_card }
    - { column: public.orders.ship_to, transform: address }
    - { column: public.payments.card_last4, transform: partial, keep_last: 0 }
    - { column: public.shipments.tracking_no, transform: hash }
    - { column: public.support_tickets.body, transform: template, template: "Ticket text removed" }
  keep:
    - public.customers.id
    - public.customers.city
    - public.customers.country
    - public.customers.created_at
    - public.customers.updated_at
    - public.products.id
    - public.products.sku
    - public.products.name
    - public.products.category
    - public.products.price
    - public.orders.id
    - public.orders.customer_id
    - public.orders.ordered_at
    - public.orders.status
    - public.orders.total
    - public.order_items.order_id
    - public.order_items.line_no
    - public.order_items.product_id
    - public.order_items.quantity
    - public.order_items.unit_price
    - public.payments.id
    - public.payments.order_id
    - public.payments.amount
    - public.payments.method
    - public.payments.paid_at
    - public.shipments.id
    - public.shipments.order_id
    - public.shipments.carrier
    - public.shipments.shipped_at
    - public.support_tickets.id
    - public.support_tickets.customer_id
    - public.support_tickets.opened_at
    - public.support_tickets.subject
)";

} // namespace

Result<void> writeDemoConfig(const std::filesystem::path &path,
                             const std::map<std::string, std::string> &dsns,
                             const std::map<std::string, int> &regionPorts)
{
    std::ostringstream yaml;
    yaml << "# EnvSync demo estate, written by 'envsyncctl demo up'. Local clusters only.\n"
         << "version: 1\n"
         << "source: { name: prod, dsn: " << config::yamlDoubleQuoted(dsns.at("source"))
         << ", production: true, max_parallel_reads: 1 }\n"
         << "golden: { dsn: " << config::yamlDoubleQuoted(dsns.at("golden"))
         << ", keep: 5, max_parallel_refreshes: 1 }\n"
         << "regions:\n";
    for (const DemoRegion &region : demoRegions) {
        yaml << "  - name: " << region.name << "\n"
             << "    dsn: " << config::yamlDoubleQuoted(dsns.at(region.name)) << "\n"
             << "    timezone: " << region.timezone << "\n"
             << "    window: { rrule: \"FREQ=WEEKLY;BYDAY=" << region.byDay
             << "\", start: \"02:00\", duration: 3h }\n"
             // 8 days over a weekly cadence: a DST week and a slow refresh still fit
             << "    freshness_sla: 8d\n"
             << "    owner: " << region.owner << "\n";
    }
    yaml << "blackouts:\n"
         // release day: no region refreshes while squads verify it (no window falls on it,
         // so the demo calendar passes `calendar check`)
         << "  - { from: 2026-12-22, to: 2026-12-22, reason: \"release 2026.12 go-live\" }\n"
         << maskingRules
         // the spool lives in the demo directory, next to this file
         << "cdc: { plugin: pgoutput, max_lag: 60s, spool: cdc-spool, slot: envsync,"
            " publication: envsync, max_retained_wal: 10GB, batch: 500 }\n"
         << "timeouts: { connect: 5s, statement: 5m }\n"
         << demoServicesYaml(regionPorts);

    const auto temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << yaml.str();
        if (!out)
            return fail(ErrorCode::Io, "cannot write config", temporary);
    }
    std::error_code ec;
    // 0644 whatever the umask: the loader refuses a group- or world-writable config.
    std::filesystem::permissions(
            temporary,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write
                    | std::filesystem::perms::group_read | std::filesystem::perms::others_read,
            ec);
    if (!ec)
        std::filesystem::rename(temporary, path, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot write config: " + ec.message(), path.string());
    return {};
}

} // namespace envsync::demo
