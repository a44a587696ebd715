// Masking engine without a database: transforms, COPY rows, plans against a hand-built schema.
// Test data is ASCII literals throughout; allow the implicit QString conversions here only.
#undef QT_NO_CAST_FROM_ASCII
#include "core/config/configloader.h"
#include "core/config/formats.h"
#include "core/masking/copytext.h"
#include "core/masking/coverage.h"
#include "core/masking/hmackey.h"
#include "core/masking/maskplan.h"
#include "core/masking/piidetector.h"
#include "core/masking/transform.h"

#include <QRegularExpression>
#include <QTest>

#include <chrono>
#include <set>
#include <string>
#include <unordered_set>

using namespace envsync;
using namespace envsync::masking;

namespace {

const std::string salt = "unit-test-salt";

std::shared_ptr<const Transform> make(const std::string &name,
                                      const std::map<std::string, std::string> &params = {},
                                      bool unique = false, const std::string &withSalt = salt)
{
    auto t = makeTransform(name, params, unique, HmacKey(withSalt));
    if (!t)
        qFatal("makeTransform(%s): %s", name.c_str(), t.error().message.c_str());
    return *t;
}

std::string run(const Transform &t, std::string_view value)
{
    std::string out;
    if (!t.apply(value, out))
        return "<NULL>";
    return out;
}

config::MaskRule rule(std::string column, std::string transform,
                      std::map<std::string, std::string> params = {}, bool unique = false)
{
    config::MaskRule r;
    r.column = std::move(column);
    r.transform = std::move(transform);
    r.params = std::move(params);
    r.unique = unique;
    r.location = {7, 9};
    return r;
}

drift::ColumnDef col(std::string name, std::string type)
{
    drift::ColumnDef c;
    c.name = std::move(name);
    c.type = std::move(type);
    return c;
}

/// customers(id PK, email UNIQUE, name), orders(id PK, customer_id → customers.id,
/// customer_email → customers.email, note), audit(order_id → orders.id).
drift::SchemaCatalog shopSchema()
{
    drift::SchemaCatalog s;
    drift::TableDef customers;
    customers.name = {"public", "customers"};
    customers.columns = {col("id", "bigint"), col("email", "text"), col("name", "text")};
    drift::TableDef orders;
    orders.name = {"public", "orders"};
    orders.columns = {col("id", "bigint"), col("customer_id", "bigint"),
                      col("customer_email", "text"), col("note", "text")};
    drift::TableDef audit;
    audit.name = {"public", "audit"};
    audit.columns = {col("order_id", "bigint")};
    s.tables = {audit, customers, orders};
    drift::ConstraintDef pk;
    pk.table = customers.name;
    pk.name = "customers_pkey";
    pk.type = drift::ConstraintType::PrimaryKey;
    pk.columns = {"id"};
    drift::ConstraintDef fkId;
    fkId.table = orders.name;
    fkId.name = "orders_customer_id_fkey";
    fkId.type = drift::ConstraintType::ForeignKey;
    fkId.referencedTable = customers.name;
    fkId.columns = {"customer_id"};
    fkId.referencedColumns = {"id"};
    drift::ConstraintDef fkEmail = fkId;
    fkEmail.name = "orders_customer_email_fkey";
    fkEmail.columns = {"customer_email"};
    fkEmail.referencedColumns = {"email"};
    drift::ConstraintDef fkAudit = fkId;
    fkAudit.table = audit.name;
    fkAudit.name = "audit_order_id_fkey";
    fkAudit.referencedTable = orders.name;
    fkAudit.columns = {"order_id"};
    fkAudit.referencedColumns = {"id"};
    s.constraints = {pk, fkId, fkEmail, fkAudit};
    return s;
}

} // namespace

class TestMasking : public QObject
{
    Q_OBJECT
private slots:
    void hmacMatchesRfc4231()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        const auto d = HmacKey("Jefe").mac("what do ya want for nothing?");
        QCOMPARE(toHex(d.data(), d.size()),
                 std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        // Keys longer than a block are hashed first (test case 6).
        const auto l = HmacKey(std::string(131, '\xaa'))
                               .mac("Test Using Larger Than Block-Size Key - Hash Key First");
        QCOMPARE(toHex(l.data(), l.size()),
                 std::string("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
    }

    void deterministic_data()
    {
        QTest::addColumn<QString>("transform");
        QTest::addColumn<QString>("input");
        for (const char *t : {"hash", "email", "person_name", "first_name", "last_name", "phone",
                              "address", "date_shift", "noise", "credit_card", "iban", "uuid"}) {
            const char *input = std::string_view(t) == "date_shift" || std::string_view(t) == "noise"
                    ? "1984-03-07"
                    : std::string_view(t) == "credit_card" ? "4111 1111 1111 1111"
                    : std::string_view(t) == "iban"        ? "DE89 3704 0044 0532 0130 00"
                    : std::string_view(t) == "phone"       ? "+49 30 1234567"
                                                           : "alice@example.org";
            QTest::newRow(t) << QString::fromLatin1(t) << QString::fromLatin1(input);
        }
    }
    void deterministic()
    {
        QFETCH(QString, transform);
        QFETCH(QString, input);
        const std::string in = input.toStdString();
        const auto a = make(transform.toStdString());
        const auto b = make(transform.toStdString()); // a second instance: nothing cached
        const auto other = make(transform.toStdString(), {}, false, "another-salt");
        const std::string out = run(*a, in);
        QVERIFY(out != "<NULL>");
        QCOMPARE(run(*b, in), out);
        QVERIFY(run(*other, in) != out);
        QVERIFY(out != in);
    }

    void formats()
    {
        const auto email = make("email");
        const QRegularExpression emailRe(QStringLiteral("^[a-z]+\\.[a-z]+\\d{3}@example\\.com$"));
        const auto card = make("credit_card");
        const auto iban = make("iban");
        const auto phone = make("phone");
        const auto uuid = make("uuid");
        const QRegularExpression uuidRe(QStringLiteral(
                "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        const auto shift = make("date_shift", {{"days", "10"}});
        for (int i = 0; i < 500; ++i) {
            const std::string n = std::to_string(i);
            const std::string e = run(*email, "user" + n + "@corp.example");
            QVERIFY2(emailRe.match(QString::fromStdString(e)).hasMatch(), e.c_str());
            const std::string c = run(*card, "5500-0000-0000-" + std::string(4 - n.size(), '0') + n);
            QVERIFY2(luhnValid(c), c.c_str());
            QCOMPARE(c.size(), std::size_t(19));
            QCOMPARE(c[4], '-');
            QCOMPARE(c[0], '5');
            const std::string b = run(*iban, "GB29 NWBK 6016 1331 9" + std::string(4 - n.size(), '0') + n + "8");
            QVERIFY2(ibanValid(b), b.c_str());
            QVERIFY(b.starts_with("GB"));
            QCOMPARE(b.size(), std::string("GB29 NWBK 6016 1331 9xxxx8").size());
            const std::string p = run(*phone, "+1 (555) 010-" + std::string(4 - n.size(), '0') + n);
            QVERIFY2(p.starts_with("+1 ("), p.c_str());
            QCOMPARE(p.size(), std::size_t(17));
            for (std::size_t k = 0; k < p.size(); ++k)
                QCOMPARE(std::isdigit(static_cast<unsigned char>(p[k])) != 0,
                         std::isdigit(static_cast<unsigned char>(
                                 ("+1 (555) 010-0000")[k])) != 0);
            QVERIFY(uuidRe.match(QString::fromStdString(run(*uuid, n))).hasMatch());
            const std::string d = run(*shift, "2020-02-" + std::to_string(10 + i % 19));
            const QDate in = QDate(2020, 2, 10 + i % 19);
            const QDate out = QDate::fromString(QString::fromStdString(d), Qt::ISODate);
            QVERIFY2(out.isValid(), d.c_str());
            const auto delta = std::abs(in.daysTo(out));
            QVERIFY(delta >= 1 && delta <= 10);
        }
        QVERIFY(luhnValid("4111111111111111"));
        QVERIFY(!luhnValid("4111111111111112"));
        QVERIFY(ibanValid("DE89 3704 0044 0532 0130 00"));
        QVERIFY(!ibanValid("DE88 3704 0044 0532 0130 00"));
        // A timestamp keeps its time part.
        QVERIFY(run(*shift, "2020-01-01 10:11:12+00").ends_with(" 10:11:12+00"));
    }

    void others_data()
    {
        QTest::addColumn<QString>("transform");
        QTest::addColumn<QString>("params"); // k=v;k=v
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected"); // a regular expression
        QTest::newRow("null") << "null" << "" << "x" << "^<NULL>$";
        QTest::newRow("constant") << "constant" << "value=n/a" << "x" << "^n/a$";
        QTest::newRow("hash length") << "hash" << "length=8" << "x" << "^[0-9a-f]{8}$";
        QTest::newRow("partial last4") << "partial" << "keep_last=4" << "4111111111111111"
                                       << "^\\*{12}1111$";
        QTest::newRow("partial utf8") << "partial" << "keep_first=1;keep_last=1;mask=#"
                                      << "Zoë Müller" << "^Z########r$";
        QTest::newRow("partial none kept") << "partial" << "keep_last=0" << "1234" << "^\\*{4}$";
        QTest::newRow("regex") << "regex_replace" << "pattern=\\d;replacement=X" << "ab12c3"
                               << "^abXXcX$";
        QTest::newRow("template") << "template" << "template=Ticket text removed" << "secret"
                                  << "^Ticket text removed$";
        QTest::newRow("template hash") << "template" << "template=ticket {hash}" << "secret"
                                       << "^ticket [0-9a-f]{16}$";
        QTest::newRow("noise int") << "noise" << "percent=10" << "1000" << "^(9\\d\\d|1[01]\\d\\d)$";
        QTest::newRow("noise numeric") << "noise" << "percent=10" << "100.00"
                                       << "^(9\\d|1[01]\\d)\\.\\d\\d$";
        QTest::newRow("noise date") << "noise" << "days=3" << "2024-05-10"
                                    << "^2024-05-(0[7-9]|1[0-3])$";
        QTest::newRow("noise text fails closed") << "noise" << "" << "abc" << "^<NULL>$";
        QTest::newRow("dictionary") << "dictionary" << "dictionary=cities" << "Berlin" << "^\\S.+$";
        QTest::newRow("address") << "address" << "" << "1 Main St, Springfield"
                                 << "^\\d+ .+, .+$";
        QTest::newRow("json")
                << "json"
                << "paths=$.email=email, $.tags[*].phone=phone"
                << R"({"email":"a@b.c","keep":"x","tags":[{"phone":"+1 555 0100"}]})"
                << R"(^\{"email":"[a-z]+\.[a-z]+\d{3}@example\.com","keep":"[0-9a-f]{16}",)"
                   R"("tags":\[\{"phone":"\+1 \d{3} \d{4}"\}\]\}$)";
        // Issue 16 item 5: what no path covers is masked unless the rule says rest: keep.
        QTest::newRow("json rest masks by default")
                << "json"
                << "paths=$.email=email"
                << "{\"email\":\"a@b.c\",\"name\":\"Alice "
                   "Smith\",\"card\":{\"no\":4111111111111111,\"cvc\":\"123\"},\"vip\":true,\"n\":"
                   "null}"
                << "^\\{\"card\":\\{\"cvc\":\"[0-9a-f]{16}\",\"no\":\\d{1,6}\\},\"email\":\"[a-z.]+"
                   "\\d{3}@example\\.com\",\"n\":null,\"name\":\"[0-9a-f]{16}\",\"vip\":true\\}$";
        QTest::newRow("json rest null")
                << "json"
                << "paths=$.email=email;rest=null"
                << "{\"email\":\"a@b.c\",\"name\":\"Alice\",\"list\":[\"x\",2]}"
                << "^\\{\"email\":\"[^\"]+@example\\.com\",\"list\":\\[null,null\\],\"name\":"
                   "null\\}$";
        QTest::newRow("json rest keep")
                << "json"
                << "paths=$.email=email;rest=keep"
                << "{\"email\":\"a@b.c\",\"name\":\"Alice\"}"
                << "^\\{\"email\":\"[^\"]+@example\\.com\",\"name\":\"Alice\"\\}$";
        QTest::newRow("json path at an object")
                << "json"
                << "paths=$.contact=hash;rest=keep"
                << "{\"contact\":{\"mail\":\"a@b.c\",\"tel\":[\"555\"]},\"x\":\"y\"}"
                << "^\\{\"contact\":\\{\"mail\":\"[0-9a-f]{32}\",\"tel\":\\[\"[0-9a-f]{32}\"\\]\\},"
                   "\"x\":\"y\"\\}$";
        QTest::newRow("json rest only") << "json"
                                        << "rest=mask"
                                        << "[\"Alice\",{\"b\":\"Bob\"}]"
                                        << "^\\[\"[0-9a-f]{16}\",\\{\"b\":\"[0-9a-f]{16}\"\\}\\]$";
        QTest::newRow("json invalid") << "json" << "paths=$.a=hash" << "{not json" << "^<NULL>$";
    }
    void others()
    {
        QFETCH(QString, transform);
        QFETCH(QString, params);
        QFETCH(QString, input);
        QFETCH(QString, expected);
        std::map<std::string, std::string> p;
        for (const QString &kv : params.split(u';', Qt::SkipEmptyParts)) {
            const auto eq = kv.indexOf(u'=');
            p[kv.left(eq).toStdString()] = kv.mid(eq + 1).toStdString();
        }
        const QString out = QString::fromStdString(run(*make(transform.toStdString(), p),
                                                       input.toStdString()));
        QVERIFY2(QRegularExpression(expected).match(out).hasMatch(), qPrintable(out));
    }

    void badParameters_data()
    {
        QTest::addColumn<QString>("transform");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("unique");
        QTest::newRow("hash length") << "hash" << "length" << "99" << false;
        QTest::newRow("typo") << "date_shift" << "dayz" << "3" << false;
        QTest::newRow("regex") << "regex_replace" << "pattern" << "(" << false;
        QTest::newRow("dictionary") << "dictionary" << "dictionary" << "nope" << false;
        QTest::newRow("json") << "json" << "paths" << "$.a=unknown" << false;
        QTest::newRow("json rest") << "json"
                                   << "rest"
                                   << "maybe" << false;
        QTest::newRow("json nothing") << "json"
                                      << ""
                                      << "" << false;
        QTest::newRow("unique phone") << "phone" << "" << "" << true;
        QTest::newRow("unknown") << "rot13" << "" << "" << false;
    }
    void badParameters()
    {
        QFETCH(QString, transform);
        QFETCH(QString, param);
        QFETCH(QString, value);
        QFETCH(bool, unique);
        std::map<std::string, std::string> p;
        if (!param.isEmpty())
            p[param.toStdString()] = value.toStdString();
        const auto t = makeTransform(transform.toStdString(), p, unique, HmacKey(salt));
        QVERIFY(!t);
        QCOMPARE(t.error().code, ErrorCode::Config);
    }

    void nullHandling()
    {
        const auto plan = buildMaskPlan(
                {{}, config::UnclassifiedPolicy::Keep, {}, {rule("public.orders.note", "email")}},
                shopSchema(), salt);
        QVERIFY(plan);
        std::string row = "1\t\\N";
        (*plan)->forTable("public", "orders", {"id", "note"})->maskRow(row);
        QCOMPARE(row, std::string("1\t\\N")); // NULL stays NULL...
        std::string out;
        QVERIFY(make("constant", {{"value", "x"}})->applyNull(out)); // ...except constant
        QCOMPARE(out, std::string("x"));
        QVERIFY(!make("hash")->applyNull(out));
    }

    void copyEscaping_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("plain") << "hello";
        QTest::newRow("tab") << "a\tb";
        QTest::newRow("newline") << "line1\nline2\r\n";
        QTest::newRow("backslash") << "C:\\path\\N";
        QTest::newRow("unicode") << "Zoë 東京 🚀";
        QTest::newRow("controls") << QString::fromLatin1("\b\f\v");
        QTest::newRow("empty") << "";
    }
    void copyEscaping()
    {
        QFETCH(QString, value);
        const std::string v = value.toStdString();
        std::string escaped;
        copytext::escape(v, escaped);
        QVERIFY(escaped.find('\t') == std::string::npos);
        QVERIFY(escaped.find('\n') == std::string::npos);
        std::string back;
        copytext::unescape(escaped, back);
        QCOMPARE(back, v);

        // Through a masker: the unmasked field stays byte-identical, the masked one equals the
        // transform of the unescaped value.
        const auto plan = buildMaskPlan({{}, config::UnclassifiedPolicy::Keep, {},
                                         {rule("public.orders.note", "hash")}},
                                        shopSchema(), salt);
        QVERIFY(plan);
        const auto masker = (*plan)->forTable("public", "orders", {"id", "note", "customer_id"});
        QVERIFY(masker);
        std::string row = escaped + "\t" + escaped + "\t" + escaped;
        masker->maskRow(row);
        const std::string expected = escaped + "\t" + run(*make("hash"), v) + "\t" + escaped;
        QCOMPARE(row, expected);
        // Octal and hex escapes as COPY FROM accepts them.
        copytext::unescape("\\101\\x42\\q", back);
        QCOMPARE(back, std::string("ABq"));
    }

    void uniqueGuaranteed()
    {
        // 200k here (debug builds); bench_mask runs 1M.
        const int count = 200'000;
        for (const char *name : {"email", "person_name"}) {
            const auto t = make(name, {}, true);
            std::unordered_set<std::string> seen;
            seen.reserve(count);
            std::string out;
            for (int i = 0; i < count; ++i) {
                out.clear();
                t->apply("customer-" + std::to_string(i), out);
                seen.insert(out);
            }
            QCOMPARE(int(seen.size()), count);
        }
        // Without unique, a small dictionary space collides: proves the test can fail.
        const auto plain = make("first_name");
        std::unordered_set<std::string> names;
        std::string out;
        for (int i = 0; i < 1000; ++i) {
            out.clear();
            plain->apply(std::to_string(i), out);
            names.insert(out);
        }
        QVERIFY(names.size() < 1000);
    }

    // Issue 16 item 6: unique outputs are one-way and their length says nothing about the input.
    void uniqueIsFixedLengthAndOneWay()
    {
        for (const char *name : {"email", "hash", "person_name", "first_name", "dictionary"}) {
            const auto t
                    = make(name,
                           std::string(name) == "dictionary"
                                   ? std::map<std::string, std::string>{{"dictionary", "cities"}}
                                   : std::map<std::string, std::string>{},
                           true);
            // The unique part (after the last '.', '-' or before '@') for inputs of 1..300 bytes.
            std::set<std::size_t> lengths;
            for (std::size_t len = 1; len <= 300; len += 7) {
                std::string out = run(*t, std::string(len, 'k'));
                if (const auto at = out.find('@'); at != std::string::npos)
                    out.resize(at);
                if (const auto cut = out.find_last_of(".-"); cut != std::string::npos)
                    out.erase(0, cut + 1);
                lengths.insert(out.size());
            }
            QVERIFY2(lengths.size() == 1, name);
            QVERIFY2(*lengths.begin() >= 24, name); // >= 120 bits
        }
        // Inputs sharing a long prefix or suffix share no part of the tag beyond chance.
        const auto email = make("email", {}, true);
        const std::string a = run(*email, "alice.anderson@corp.example");
        const std::string b = run(*email, "alice.anderson@corp.example.");
        const std::string ta = a.substr(a.find('.') + 1, 24);
        const std::string tb = b.substr(b.find('.') + 1, 24);
        int same = 0;
        for (std::size_t i = 0; i < ta.size(); ++i)
            same += ta[i] == tb[i];
        QVERIFY(same < 8);
        // hash with unique needs enough bits to never collide.
        QVERIFY(!makeTransform("hash", {{"length", "16"}}, true, HmacKey(salt)));
        QVERIFY(makeTransform("hash", {{"length", "32"}}, true, HmacKey(salt)));
    }

    void foreignKeysInheritRules()
    {
        config::MaskingConfig m;
        m.rules = {rule("public.customers.id", "hash", {{"length", "12"}}),
                   rule("public.customers.email", "email", {}, true)};
        m.keep = {"public.customers.name"};
        const auto plan = buildMaskPlan(m, shopSchema(), salt);
        QVERIFY2(plan, plan ? "" : plan.error().describe().c_str());
        std::string customer = "42\talice@x.org\tAlice";
        (*plan)->forTable("public", "customers", {"id", "email", "name"})->maskRow(customer);
        std::string order = "7\t42\talice@x.org\tnote";
        const auto orders = (*plan)->forTable("public", "orders",
                                              {"id", "customer_id", "customer_email", "note"});
        QVERIFY(orders);
        const auto masked = orders->maskedColumns();
        QVERIFY(std::ranges::find(masked, "customer_id") != masked.end());
        orders->maskRow(order);
        const QStringList c = QString::fromStdString(customer).split(u'\t');
        const QStringList o = QString::fromStdString(order).split(u'\t');
        QCOMPARE(o[1], c[0]); // joins still join
        QCOMPARE(o[2], c[1]);
        QVERIFY(c[0] != QLatin1String("42"));
        QCOMPARE(c[2], QStringLiteral("Alice")); // keep

        // Unclassified: orders.id, orders.note, audit.order_id (orders.id has no rule).
        std::vector<std::string> names;
        for (const auto &u : (*plan)->unclassified())
            names.push_back(u.schema + '.' + u.table + '.' + u.column + " (" + u.type + ')');
        const std::vector<std::string> expected = {"public.audit.order_id (bigint)",
                                                   "public.orders.id (bigint)",
                                                   "public.orders.note (text)"};
        QCOMPARE(names, expected);

        // A chain: a rule on orders.id reaches audit.order_id.
        m.rules.push_back(rule("public.orders.id", "hash"));
        m.keep.push_back("public.orders.note");
        const auto chained = buildMaskPlan(m, shopSchema(), salt);
        QVERIFY(chained);
        QVERIFY((*chained)->unclassified().empty());
        QVERIFY((*chained)->forTable("public", "audit", {"order_id"}));

        // A conflicting own rule on a foreign key is a config error.
        m.rules.push_back(rule("public.orders.customer_id", "hash", {{"length", "8"}}));
        const auto conflict = buildMaskPlan(m, shopSchema(), salt);
        QVERIFY(!conflict);
        QCOMPARE(conflict.error().code, ErrorCode::Config);
    }

    void planErrors()
    {
        config::MaskingConfig m;
        m.rules = {rule("public.customers.nope", "hash")};
        auto plan = buildMaskPlan(m, shopSchema(), salt);
        QVERIFY(!plan);
        QCOMPARE(plan.error().code, ErrorCode::Config);
        QCOMPARE(plan.error().context, std::string("7:9"));
        m.rules = {rule("public.customers.email", "hash", {{"length", "0"}})};
        QVERIFY(!buildMaskPlan(m, shopSchema(), salt));
        m.rules.clear();
        plan = buildMaskPlan(m, shopSchema(), "");
        QVERIFY(!plan);
        QCOMPARE(plan.error().code, ErrorCode::Refused);
        QVERIFY(!resolveSalt({}));
        qputenv("ENVSYNC_TST_MASK_SALT", "s3cret");
        const auto resolved = resolveSalt({config::SaltSource::Kind::Environment,
                                           "ENVSYNC_TST_MASK_SALT"});
        QVERIFY(resolved);
        QCOMPARE(*resolved, std::string("s3cret"));
    }

    void unclassifiedPolicies()
    {
        config::MaskingConfig m;
        m.unclassified = config::UnclassifiedPolicy::Null;
        auto plan = buildMaskPlan(m, shopSchema(), salt);
        QVERIFY(plan);
        std::string row = "1\tx@y\tName";
        (*plan)->forTable("public", "customers", {"id", "email", "name"})->maskRow(row);
        QCOMPARE(row, std::string("\\N\t\\N\t\\N"));
        m.unclassified = config::UnclassifiedPolicy::Keep;
        plan = buildMaskPlan(m, shopSchema(), salt);
        QVERIFY(!(*plan)->forTable("public", "customers", {"id", "email", "name"}));
        // Fail: a column the plan never saw (schema changed since) is never copied in clear.
        m.unclassified = config::UnclassifiedPolicy::Fail;
        m.keep = {"public.customers.id"};
        plan = buildMaskPlan(m, shopSchema(), salt);
        row = "1\tsecret";
        (*plan)->forTable("public", "customers", {"id", "added_later"})->maskRow(row);
        QCOMPARE(row, std::string("1\t\\N"));
    }

    void rulesHash()
    {
        config::MaskingConfig m;
        m.rules = {rule("public.customers.email", "email")};
        const auto a = buildMaskPlan(m, shopSchema(), salt);
        const auto b = buildMaskPlan(m, shopSchema(), salt);
        QCOMPARE((*a)->rulesHash(), (*b)->rulesHash());
        QCOMPARE((*a)->rulesHash().size(), std::size_t(64));
        QVERIFY((*a)->rulesHash().find(salt) == std::string::npos);
        QVERIFY((*buildMaskPlan(m, shopSchema(), "other"))->rulesHash() != (*a)->rulesHash());
        auto changed = m;
        changed.rules[0].params["domain"] = "example.net";
        QVERIFY((*buildMaskPlan(changed, shopSchema(), salt))->rulesHash() != (*a)->rulesHash());
        changed = m;
        changed.keep = {"public.orders.note"};
        QVERIFY((*buildMaskPlan(changed, shopSchema(), salt))->rulesHash() != (*a)->rulesHash());
        changed = m;
        changed.rules[0].location = {99, 1}; // where a rule is written does not matter
        QCOMPARE((*buildMaskPlan(changed, shopSchema(), salt))->rulesHash(), (*a)->rulesHash());
    }

    // Masking references are read as PostgreSQL reads identifiers (issue 16 item 4).
    void columnReferences_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("parts"); // empty: malformed
        QTest::addColumn<int>("errorOffset");
        QTest::newRow("plain") << "public.customers.email"
                               << QStringList{"public", "customers", "email"} << -1;
        QTest::newRow("unquoted folds")
                << "Public.Customers.EMail" << QStringList{"public", "customers", "email"} << -1;
        QTest::newRow("quoted keeps case") << "public.\"Customers\".\"EMail\""
                                           << QStringList{"public", "Customers", "EMail"} << -1;
        QTest::newRow("doubled quote") << "public.\"Weird \"\"Name\"\"\".email"
                                       << QStringList{"public", "Weird \"Name\"", "email"} << -1;
        QTest::newRow("dot inside quotes")
                << "\"a.b\".\"c.d\".\"e.f\"" << QStringList{"a.b", "c.d", "e.f"} << -1;
        QTest::newRow("spaces and unicode")
                << QString::fromUtf8("s.\"my table\".\"Ünïcödé col\"")
                << QStringList{"s", "my table", QString::fromUtf8("Ünïcödé col")} << -1;
        QTest::newRow("unquoted unicode and dollar")
                << QString::fromUtf8("s.tä$1.c") << QStringList{"s", QString::fromUtf8("tä$1"), "c"}
                << -1;
        QTest::newRow("too few") << "customers.email" << QStringList{} << 0;
        QTest::newRow("too many") << "a.b.c.d" << QStringList{} << 5;
        QTest::newRow("empty part") << "a..c" << QStringList{} << 2;
        QTest::newRow("trailing dot") << "a.b." << QStringList{} << 4;
        QTest::newRow("unterminated") << "a.\"b.c" << QStringList{} << 2;
        QTest::newRow("zero-length quoted") << "a.\"\".c" << QStringList{} << 2;
        QTest::newRow("quote after name") << "a.b\"x\".c" << QStringList{} << 3;
        QTest::newRow("text after quote") << "a.\"b\"x.c" << QStringList{} << 5;
        QTest::newRow("space unquoted") << "a.my table.c" << QStringList{} << 4;
        QTest::newRow("leading digit") << "a.1t.c" << QStringList{} << 2;
        QTest::newRow("too long") << "a." + QString(64, u'x') + ".c" << QStringList{} << 2;
    }
    void columnReferences()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, parts);
        QFETCH(int, errorOffset);
        const auto parsed = config::parseQualifiedName(text.toStdString(), 3);
        if (parts.isEmpty()) {
            QVERIFY(!parsed);
            QCOMPARE(int(parsed.error().offset), errorOffset);
            QVERIFY(parsed.error().message.find("is not schema.table.column") != std::string::npos);
            return;
        }
        QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
        QStringList got;
        for (const auto &p : *parsed)
            got << QString::fromStdString(p);
        QCOMPARE(got, parts);
        // What --detect prints reads back as the same identifiers.
        const std::string formatted = config::formatQualifiedName(*parsed);
        const auto again = config::parseQualifiedName(formatted, 3);
        QVERIFY2(again, formatted.c_str());
        QCOMPARE(*again, *parsed);
    }

    void quoteOnlyWhenNeeded()
    {
        QCOMPARE(config::quoteIdentifierPart("email"), std::string("email"));
        QCOMPARE(config::quoteIdentifierPart("_x1"), std::string("_x1"));
        QCOMPARE(config::quoteIdentifierPart("Email"), std::string("\"Email\""));
        QCOMPARE(config::quoteIdentifierPart("1x"), std::string("\"1x\""));
        QCOMPARE(config::quoteIdentifierPart("a.b"), std::string("\"a.b\""));
        QCOMPARE(config::quoteIdentifierPart("We\"ird"), std::string("\"We\"\"ird\""));
        QCOMPARE(config::quoteIdentifierPart("a b"), std::string("\"a b\""));
    }

    void planResolvesQuotedNames()
    {
        drift::SchemaCatalog s;
        drift::TableDef t;
        t.name = {"public", "Weird \"Name\".x"};
        t.columns = {col("id", "bigint"), col("E-Mail Addr", "text"), col("a.b", "text")};
        s.tables = {t};
        config::MaskingConfig m;
        m.rules = {rule("public.\"Weird \"\"Name\"\".x\".\"E-Mail Addr\"", "email"),
                   rule("PUBLIC.\"Weird \"\"Name\"\".x\".\"a.b\"", "hash")};
        m.keep = {"public.\"Weird \"\"Name\"\".x\".ID"};
        const auto plan = buildMaskPlan(m, s, salt);
        QVERIFY2(plan, plan ? "" : plan.error().describe().c_str());
        QVERIFY((*plan)->unclassified().empty());
        std::string row = "1\talice@x.org\tsecret";
        (*plan)->forTable("public", t.name.name, {"id", "E-Mail Addr", "a.b"})->maskRow(row);
        QVERIFY(row.starts_with("1\t"));
        QVERIFY(row.find("alice") == std::string::npos);
        QVERIFY(row.find("secret") == std::string::npos);
        const CoverageReport coverage = resolveCoverage(m, s);
        QVERIFY(coverage.problems.empty());
        QCOMPARE(coverage.classified(), 3);
        QCOMPARE(coverage.columns[1].display(),
                 std::string("public.\"Weird \"\"Name\"\".x\".\"E-Mail Addr\""));
        // A reference the parser rejects is a config error at the rule, not "no such column".
        m.rules = {rule("public.\"Weird.x", "email")};
        const auto bad = buildMaskPlan(m, s, salt);
        QVERIFY(!bad);
        QCOMPARE(bad.error().context, std::string("7:9"));
        QVERIFY2(bad.error().message.find("unterminated") != std::string::npos,
                 bad.error().message.c_str());
    }

    // --detect's snippet for awkward names loads as a config and names the same column.
    void detectSnippetLoads()
    {
        DetectedColumn d;
        d.schema = "Sales Dept";
        d.table = "Kunden \"VIP\".2024";
        d.column = "E-Mail\nprivat";
        d.type = "text";
        d.transform = "email";
        d.confidence = 0.9;
        d.reason = "name suggests an e-mail address";
        const std::string snippet = toYamlSnippet({d});
        const std::string yaml = "version: 1\nsource: { dsn: \"service=prod\", production: true }\n"
                                 "golden: { dsn: \"service=golden\" }\n"
                                 "regions:\n  - name: eu\n    dsn: \"service=qa-eu\"\n"
                                 + snippet;
        const auto loaded = config::parseConfig(yaml, "detect.yaml");
        QVERIFY2(loaded, yaml.c_str());
        QCOMPARE(loaded->masking.rules.size(), std::size_t(1));
        const auto parts = config::parseQualifiedName(loaded->masking.rules[0].column, 3);
        QVERIFY(parts);
        QCOMPARE(*parts, (std::vector<std::string>{d.schema, d.table, d.column}));
    }

    void detectorClassifies_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QStringList>("values");
        QTest::addColumn<QString>("transform");
        QTest::newRow("email by name") << "contact_email" << "text" << QStringList{} << "email";
        QTest::newRow("email by value") << "c1" << "text"
                                        << QStringList{"a@b.com", "x.y@z.org"} << "email";
        QTest::newRow("card") << "c2" << "text"
                              << QStringList{"4111 1111 1111 1111", "5500000000000004"}
                              << "credit_card";
        QTest::newRow("iban") << "c3" << "text" << QStringList{"DE89370400440532013000"} << "iban";
        QTest::newRow("ip") << "c4" << "inet" << QStringList{"10.1.2.3", "::1"} << "hash";
        QTest::newRow("phone") << "tel" << "text" << QStringList{"+49 30 123456"} << "phone";
        QTest::newRow("birth") << "dob" << "date" << QStringList{"1970-01-01"} << "date_shift";
        QTest::newRow("first") << "first_name" << "text" << QStringList{"Anna"} << "first_name";
        QTest::newRow("full") << "full_name" << "text" << QStringList{"Anna B"} << "person_name";
        QTest::newRow("nothing") << "quantity" << "integer" << QStringList{"3", "4"} << "";
        QTest::newRow("hotel is not tel") << "hotel" << "text" << QStringList{"Ritz"} << "";
    }
    void detectorClassifies()
    {
        QFETCH(QString, column);
        QFETCH(QString, type);
        QFETCH(QStringList, values);
        QFETCH(QString, transform);
        std::vector<std::string> v;
        for (const auto &s : values)
            v.push_back(s.toStdString());
        const auto d = classifyColumn(column.toStdString(), type.toStdString(), v);
        QCOMPARE(d ? QString::fromStdString(d->transform) : QString(), transform);
        if (d) {
            QVERIFY(!d->reason.empty());
            const std::string yaml = toYamlSnippet({*d});
            QVERIFY(yaml.starts_with("masking:\n  rules:\n    - { column: "));
        }
    }
};

QTEST_GUILESS_MAIN(TestMasking)
#include "tst_masking.moc"
