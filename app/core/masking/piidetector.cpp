#include "piidetector.h"

#include "transform.h"

#include "core/config/formats.h"
#include "core/db/cancelguard.h"
#include "core/db/connection.h"
#include "core/db/sqlquote.h"

#include <pqxx/pqxx>

#include <QDate>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace envsync::masking {

namespace {

std::vector<std::string> tokens(const std::string &name)
{
    std::vector<std::string> out;
    std::string current;
    for (const char c : name) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            current += c;
        } else if (c >= 'A' && c <= 'Z') {
            current += static_cast<char>(c - 'A' + 'a');
        } else if (!current.empty()) {
            out.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty())
        out.push_back(std::move(current));
    return out;
}

struct NameHint
{
    std::string transform;
    std::map<std::string, std::string> params;
    std::string why;
};

std::optional<NameHint> hintFromName(const std::string &column)
{
    const auto t = tokens(column);
    std::string joined;
    for (const auto &s : t)
        joined += s;
    auto has = [&](std::initializer_list<const char *> words) {
        for (const char *w : words)
            if (std::ranges::find(t, std::string(w)) != t.end())
                return true;
        return false;
    };
    auto joinedIs = [&](std::initializer_list<const char *> words) {
        for (const char *w : words)
            if (joined == w)
                return true;
        return false;
    };
    if (has({"email", "mail", "e"}) && (has({"email", "mail"}) || joinedIs({"email"})))
        return NameHint{"email", {}, "name suggests an e-mail address"};
    if (has({"phone", "tel", "telephone", "mobile", "cell", "fax", "msisdn"}))
        return NameHint{"phone", {}, "name suggests a phone number"};
    if (joinedIs({"firstname", "givenname", "fname", "forename"}))
        return NameHint{"first_name", {}, "name suggests a first name"};
    if (joinedIs({"lastname", "surname", "familyname", "lname"}))
        return NameHint{"last_name", {}, "name suggests a last name"};
    if (joinedIs({"fullname", "customername", "contactname", "personname", "displayname",
                  "holdername", "cardholder", "accountholder"}))
        return NameHint{"person_name", {}, "name suggests a person's name"};
    if (has({"birth", "dob", "birthday", "birthdate"}))
        return NameHint{"date_shift", {{"days", "180"}}, "name suggests a birth date"};
    if (has({"iban"}))
        return NameHint{"iban", {}, "name suggests an IBAN"};
    if (has({"last4", "lastfour"}))
        return NameHint{"partial", {{"keep_last", "0"}}, "name suggests digits of a card"};
    if (has({"card", "cc", "pan", "ccnum", "cardnumber"}))
        return NameHint{"credit_card", {}, "name suggests a payment card number"};
    if (has({"ssn", "sin", "nino", "passport"}) || joinedIs({"socialsecuritynumber", "nationalid", "taxid"}))
        return NameHint{"hash", {}, "name suggests a national identifier"};
    if (has({"street", "address", "addr"}))
        return NameHint{"address", {}, "name suggests a postal address"};
    if (has({"zip", "postal", "postcode", "zipcode", "plz"}) || joinedIs({"postalcode"}))
        return NameHint{"hash", {{"length", "8"}}, "name suggests a postal code"};
    if (has({"ip", "ipaddr", "ipv4", "ipv6"}))
        return NameHint{"hash", {{"length", "16"}}, "name suggests an IP address"};
    return std::nullopt;
}

bool matches(const QRegularExpression &re, const std::string &v)
{
    return re.match(QString::fromStdString(v)).hasMatch();
}

bool looksLikeCard(const std::string &v)
{
    static const QRegularExpression re(QStringLiteral(R"(^\d(?:[ -]?\d){11,18}$)"));
    return matches(re, v) && luhnValid(v);
}

bool looksLikeIban(const std::string &v)
{
    static const QRegularExpression re(QStringLiteral(R"(^[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}$)"));
    return matches(re, v) && ibanValid(v);
}

bool looksLikeEmail(const std::string &v)
{
    static const QRegularExpression re(QStringLiteral(R"(^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$)"));
    return matches(re, v);
}

bool looksLikePhone(const std::string &v)
{
    static const QRegularExpression re(QStringLiteral(R"(^\+?[0-9 ()./-]{7,22}$)"));
    if (!matches(re, v))
        return false;
    const auto digits = std::ranges::count_if(v, [](char c) { return c >= '0' && c <= '9'; });
    // A date (2024-01-02) or a plain number is not a phone number.
    static const QRegularExpression date(QStringLiteral(R"(^\d{4}-\d{2}-\d{2}$)"));
    return digits >= 7 && digits <= 15 && !matches(date, v)
            && (v.front() == '+' || v.find_first_of(" ()-./") != std::string::npos);
}

bool looksLikeIp(const std::string &v)
{
    static const QRegularExpression v4(QStringLiteral(
            R"(^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(/\d{1,2})?$)"));
    static const QRegularExpression v6(QStringLiteral(R"(^[0-9A-Fa-f:]{2,39}(/\d{1,3})?$)"));
    return matches(v4, v)
            || ((v.find("::") != std::string::npos || std::ranges::count(v, ':') >= 5)
                && matches(v6, v));
}

bool looksLikeBirthDate(const std::string &v)
{
    const QDate date = QDate::fromString(QString::fromStdString(v.substr(0, 10)), Qt::ISODate);
    if (!date.isValid())
        return false;
    const QDate today = QDate::currentDate();
    return date.year() >= 1900 && date <= today.addYears(-14);
}

std::string percent(double fraction)
{
    return std::to_string(static_cast<int>(std::lround(fraction * 100))) + '%';
}

} // namespace

std::optional<DetectedColumn> classifyColumn(const std::string &column, const std::string &type,
                                             const std::vector<std::string> &values)
{
    DetectedColumn d;
    d.column = column;
    d.type = type;
    const auto hint = hintFromName(column);

    struct ValueCheck
    {
        const char *transform;
        bool (*test)(const std::string &);
        const char *what;
    };
    static const ValueCheck checks[] = {
            {"email", looksLikeEmail, "e-mail addresses"},
            {"iban", looksLikeIban, "IBANs (mod-97 valid)"},
            {"credit_card", looksLikeCard, "card numbers (Luhn valid)"},
            {"hash", looksLikeIp, "IP addresses"},
            {"phone", looksLikePhone, "phone numbers"},
    };
    std::optional<std::pair<const ValueCheck *, double>> best;
    if (!values.empty()) {
        for (const auto &check : checks) {
            const auto hits = std::ranges::count_if(values, check.test);
            const double fraction = static_cast<double>(hits) / static_cast<double>(values.size());
            if (fraction >= 0.8 && (!best || fraction > best->second))
                best = std::make_pair(&check, fraction);
        }
        const bool dateType = type == "date" || type.starts_with("timestamp");
        if (!best && dateType && hint && hint->transform == "date_shift") {
            const auto hits = std::ranges::count_if(values, looksLikeBirthDate);
            const double fraction = static_cast<double>(hits) / static_cast<double>(values.size());
            if (fraction >= 0.8) {
                d.transform = "date_shift";
                d.params = {{"days", "180"}};
                d.confidence = 0.95;
                d.reason = hint->why + "; " + percent(fraction) + " of "
                        + std::to_string(values.size()) + " sampled values are plausible birth dates";
                return d;
            }
        }
    }
    if (best) {
        const ValueCheck &check = *best->first;
        const std::string sampled = percent(best->second) + " of " + std::to_string(values.size())
                + " sampled values look like " + check.what;
        d.transform = check.transform;
        if (d.transform == "hash")
            d.params = {{"length", "16"}};
        if (hint && hint->transform == d.transform) {
            d.params = hint->params;
            d.confidence = 0.99;
            d.reason = hint->why + "; " + sampled;
        } else {
            d.confidence = 0.6 + 0.3 * best->second;
            d.reason = sampled;
        }
        return d;
    }
    if (hint) {
        d.transform = hint->transform;
        d.params = hint->params;
        d.confidence = values.empty() ? 0.6 : 0.5;
        d.reason = hint->why + (values.empty() ? " (no values sampled)" : "");
        return d;
    }
    return std::nullopt;
}

Result<std::vector<DetectedColumn>> detectPii(pqxx::connection &connection, int sampleRows,
                                              const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "pii detection");
    const db::CancelGuard cancelGuard(connection, cancel);
    try {
        pqxx::read_transaction tx(connection, "envsync-detect-pii");
        const pqxx::result columns = tx.exec(
                "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
                "  EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conrelid = c.oid "
                "          AND con.contype IN ('p', 'u') AND con.conkey = ARRAY[a.attnum]) "
                "FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 "
                "  AND NOT a.attisdropped "
                "  AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
                "  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
                "      'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') "
                "ORDER BY n.nspname, c.relname, a.attnum");
        struct Col
        {
            std::string name, type;
            bool unique;
        };
        std::map<std::pair<std::string, std::string>, std::vector<Col>> tables;
        std::vector<std::pair<std::string, std::string>> order;
        for (const auto &row : columns) {
            const auto key = std::make_pair(row[0].as<std::string>(), row[1].as<std::string>());
            if (!tables.contains(key))
                order.push_back(key);
            tables[key].push_back(
                    {row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<bool>()});
        }
        std::vector<DetectedColumn> out;
        for (const auto &key : order) {
            if (job::cancelled(cancel))
                return fail(ErrorCode::Cancelled, "cancelled", "detect PII");
            const auto &cols = tables[key];
            std::string select;
            for (const auto &col : cols)
                select += (select.empty() ? "" : ", ") + db::quoteIdentifier(col.name) + "::text";
            std::vector<std::vector<std::string>> samples(cols.size());
            if (sampleRows > 0) {
                const pqxx::result rows = tx.exec_params(
                        "SELECT " + select + " FROM " + db::qualifiedName(key.first, key.second)
                                + " LIMIT $1",
                        sampleRows);
                for (const auto &row : rows)
                    for (std::size_t i = 0; i < cols.size(); ++i)
                        if (!row[static_cast<int>(i)].is_null())
                            samples[i].push_back(row[static_cast<int>(i)].as<std::string>());
            }
            for (std::size_t i = 0; i < cols.size(); ++i) {
                auto detected = classifyColumn(cols[i].name, cols[i].type, samples[i]);
                if (!detected)
                    continue;
                detected->schema = key.first;
                detected->table = key.second;
                detected->unique = cols[i].unique
                        && std::ranges::find(uniqueCapableTransforms(), detected->transform)
                                   != uniqueCapableTransforms().end();
                out.push_back(std::move(*detected));
            }
        }
        return out;
    } catch (const std::exception &) {
        return std::unexpected(
                db::cancelledOr(db::currentExceptionToError("detect PII", {}), cancel));
    }
}

std::string toYamlSnippet(const std::vector<DetectedColumn> &columns)
{
    // A YAML scalar: plain when that is unambiguous, else double-quoted with every quote,
    // backslash and control byte escaped (identifiers may hold newlines).
    auto scalar = [](const std::string &v) {
        const bool plain = !v.empty() && std::ranges::all_of(v, [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.';
        });
        if (plain)
            return v;
        return config::yamlDoubleQuoted(v);
    };
    // The comment ends at the line's end: no control bytes from names or types in it.
    auto comment = [](std::string v) {
        for (char &c : v)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                c = ' ';
        return v;
    };
    std::string out = "masking:\n  rules:\n";
    if (columns.empty())
        out += "    []  # no column looks like personal data\n";
    for (const auto &c : columns) {
        std::string line = "    - { column: "
                           + scalar(config::formatQualifiedName({c.schema, c.table, c.column}))
                           + ", transform: " + c.transform;
        if (c.unique)
            line += ", unique: true";
        for (const auto &[k, v] : c.params)
            line += ", " + k + ": " + scalar(v);
        line += " }";
        char confidence[16];
        std::snprintf(confidence, sizeof confidence, "%.2f", c.confidence);
        out += line + "  # " + confidence + " " + comment(c.reason + " (" + c.type + ")") + "\n";
    }
    return out;
}

} // namespace envsync::masking
