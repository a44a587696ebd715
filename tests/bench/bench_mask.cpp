// Masking throughput per transform on one core, and the 1 M uniqueness check.
// Build:  cmake --build <build dir> --target bench_mask -j2
// Run:    <build dir>/tests/bench/bench_mask [--values N]
#include "core/masking/hmackey.h"
#include "core/masking/maskplan.h"
#include "core/masking/transform.h"

#include <QCoreApplication>
#include <QStringList>

#include <chrono>
#include <cstdio>
#include <string>
#include <unordered_set>
#include <vector>

using namespace envsync::masking;

namespace {

struct Case
{
    const char *transform;
    std::map<std::string, std::string> params;
    bool unique;
    std::string (*input)(int);
};

std::string emailInput(int i) { return "customer" + std::to_string(i) + "@shop.example"; }
std::string nameInput(int i) { return "Customer Number " + std::to_string(i); }
std::string phoneInput(int i) { return "+49 30 " + std::to_string(1000000 + i); }
std::string dateInput(int i) { return "19" + std::to_string(50 + i % 50) + "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10); }
std::string cardInput(int i) { return "4111 1111 " + std::to_string(1000 + i % 9000) + " " + std::to_string(1000 + i / 9000 % 9000); }
std::string ibanInput(int i) { return "DE89 3704 0044 0532 " + std::to_string(1000 + i % 9000) + " 00"; }
std::string numberInput(int i) { return std::to_string(i) + ".25"; }
std::string jsonInput(int i) { return R"({"email":"c)" + std::to_string(i) + R"(@x.org","n":1})"; }

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int values = 1'000'000;
    const QStringList args = app.arguments();
    if (const auto at = args.indexOf(QStringLiteral("--values")); at >= 0 && at + 1 < args.size())
        values = args[at + 1].toInt();

    const HmacKey salt("benchmark-salt");
    const std::vector<Case> cases = {
            {"hash", {{"length", "16"}}, false, nameInput},
            {"hash", {}, true, nameInput},
            {"email", {}, false, emailInput},
            {"email", {}, true, emailInput},
            {"person_name", {}, false, nameInput},
            {"first_name", {}, false, nameInput},
            {"last_name", {}, false, nameInput},
            {"phone", {}, false, phoneInput},
            {"address", {}, false, nameInput},
            {"date_shift", {{"days", "180"}}, false, dateInput},
            {"noise", {{"percent", "10"}}, false, numberInput},
            {"credit_card", {}, false, cardInput},
            {"iban", {}, false, ibanInput},
            {"partial", {{"keep_last", "4"}}, false, cardInput},
            {"uuid", {}, false, nameInput},
            {"constant", {{"value", "x"}}, false, nameInput},
            {"template", {{"template", "redacted {hash}"}}, false, nameInput},
            {"dictionary", {{"dictionary", "cities"}}, false, nameInput},
            {"regex_replace", {{"pattern", "\\d"}, {"replacement", "#"}}, false, phoneInput},
            {"json", {{"paths", "$.email=email"}}, false, jsonInput},
    };
    std::printf("%-14s %-7s %12s %14s\n", "transform", "unique", "values", "values/s/core");
    for (const auto &c : cases) {
        auto transform = makeTransform(c.transform, c.params, c.unique, salt);
        if (!transform) {
            std::fprintf(stderr, "%s: %s\n", c.transform, transform.error().message.c_str());
            return 2;
        }
        // Slow transforms (regex, json) get fewer values so the run stays short.
        const bool slow = std::string_view(c.transform) == "regex_replace"
                || std::string_view(c.transform) == "json";
        const int n = slow ? values / 10 : values;
        std::vector<std::string> inputs;
        inputs.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i)
            inputs.push_back(c.input(i));
        std::string out;
        std::size_t sink = 0;
        const auto start = std::chrono::steady_clock::now();
        for (const auto &in : inputs) {
            out.clear();
            (*transform)->apply(in, out);
            sink += out.size();
        }
        const double seconds
                = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%-14s %-7s %12d %14.0f   (%zu)\n", c.transform, c.unique ? "yes" : "no", n,
                    n / seconds, sink % 10);
    }

    // A whole COPY row with 4 masked fields of 8.
    {
        envsync::config::MaskingConfig m;
        envsync::drift::SchemaCatalog s;
        envsync::drift::TableDef t;
        t.name = {"public", "customers"};
        for (const char *col : {"id", "email", "full_name", "phone", "city", "card", "a", "b"}) {
            envsync::drift::ColumnDef c;
            c.name = col;
            c.type = "text";
            t.columns.push_back(c);
        }
        s.tables.push_back(t);
        for (const auto &[col, tr] : std::vector<std::pair<std::string, std::string>>{
                     {"email", "email"}, {"full_name", "person_name"}, {"phone", "phone"},
                     {"card", "credit_card"}}) {
            envsync::config::MaskRule r;
            r.column = "public.customers." + col;
            r.transform = tr;
            m.rules.push_back(r);
        }
        m.keep = {"public.customers.id", "public.customers.city", "public.customers.a",
                  "public.customers.b"};
        auto plan = buildMaskPlan(m, s, "benchmark-salt");
        const auto masker = (*plan)->forTable(
                "public", "customers", {"id", "email", "full_name", "phone", "city", "card", "a", "b"});
        const int rows = values / 2;
        std::string row;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < rows; ++i) {
            row = std::to_string(i) + "\tc" + std::to_string(i)
                    + "@x.org\tAnna Berg\t+49 30 1234567\tBerlin\t4111 1111 1111 1111\t\\N\tx\\ty";
            masker->maskRow(row);
        }
        const double seconds
                = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("COPY rows (8 fields, 4 masked): %.0f rows/s/core\n", rows / seconds);
    }

    // 1 M distinct inputs → 1 M distinct outputs with unique: true.
    for (const char *name : {"email", "hash", "person_name"}) {
        auto transform = makeTransform(name, {}, true, salt);
        std::unordered_set<std::string> seen;
        seen.reserve(static_cast<std::size_t>(values));
        std::string out;
        for (int i = 0; i < values; ++i) {
            out.clear();
            (*transform)->apply("customer-" + std::to_string(i), out);
            seen.insert(out);
        }
        std::printf("unique %-12s %d inputs -> %zu distinct outputs%s\n", name, values, seen.size(),
                    seen.size() == static_cast<std::size_t>(values) ? "" : "  COLLISION!");
        if (seen.size() != static_cast<std::size_t>(values))
            return 1;
    }
    return 0;
}
