#include "core/virt/jsonpath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace envsync::virt {

namespace {

struct FilterExpr;

struct Selector
{
    enum class Kind { Names, Wildcard, Indexes, Slice, Filter };
    Kind kind = Kind::Names;
    bool recursive = false; ///< `..`
    QStringList names;
    QList<qsizetype> indexes;
    std::optional<qsizetype> sliceStart, sliceEnd;
    qsizetype sliceStep = 1;
    std::shared_ptr<const FilterExpr> filter;
};

} // namespace

struct JsonPath::Node
{
    bool relative = false; ///< starts at `@` (inside a filter) rather than `$`
    std::vector<Selector> selectors;
};

namespace {

struct Operand
{
    std::shared_ptr<const JsonPath::Node> path; ///< set for `@...` / `$...`
    QJsonValue literal;
};

enum class CompareOp { Equal, NotEqual, Less, Greater, LessEqual, GreaterEqual };

struct FilterExpr
{
    enum class Kind { Or, And, Not, Compare, Exists };
    Kind kind = Kind::Exists;
    std::shared_ptr<const FilterExpr> left, right;
    Operand a, b;
    CompareOp op = CompareOp::Equal;
};

constexpr qsizetype maxSelectors = 256;
/// Nodes one evaluation may visit: bounds `$..*` over a huge document and nested filters.
constexpr qsizetype maxVisits = 1'000'000;

/// Recursive-descent parser of a JSONPath expression; the first error stops it.
class Parser
{
public:
    explicit Parser(const QString &text)
        : m_text(text)
    {
    }

    Result<std::shared_ptr<const JsonPath::Node>> parseWhole()
    {
        auto node = parsePath(false);
        skipSpaces();
        if (!m_error && !atEnd())
            setError(QStringLiteral("unexpected '%1'").arg(m_text.at(m_pos)));
        if (m_error)
            return fail(ErrorCode::Usage, "JSONPath " + m_text.toStdString() + ": "
                                                  + m_error->toStdString() + " at offset "
                                                  + std::to_string(m_pos));
        return node;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_text.size() ? m_text.at(m_pos + ahead) : QChar();
    }
    void skipSpaces()
    {
        while (!atEnd() && peek().isSpace())
            ++m_pos;
    }
    bool accept(QStringView token)
    {
        if (QStringView(m_text).mid(m_pos).startsWith(token)) {
            m_pos += token.size();
            return true;
        }
        return false;
    }
    void setError(const QString &message)
    {
        if (!m_error)
            m_error = message;
    }
    bool expect(QChar c)
    {
        skipSpaces();
        if (peek() == c) {
            ++m_pos;
            return true;
        }
        setError(QStringLiteral("expected '%1'").arg(c));
        return false;
    }

    std::shared_ptr<const JsonPath::Node> parsePath(bool allowRelative)
    {
        auto node = std::make_shared<JsonPath::Node>();
        skipSpaces();
        if (peek() == u'@' && allowRelative) {
            node->relative = true;
        } else if (peek() != u'$') {
            setError(allowRelative ? QStringLiteral("expected '@' or '$'")
                                   : QStringLiteral("a path starts with '$'"));
            return node;
        }
        ++m_pos;
        while (!m_error && !atEnd()) {
            if (qsizetype(node->selectors.size()) >= maxSelectors) {
                setError(QStringLiteral("too many path segments"));
                break;
            }
            std::optional<Selector> selector = parseSelector();
            if (!selector)
                break;
            node->selectors.push_back(std::move(*selector));
        }
        return node;
    }

    /// One `.name`, `..name`, `[...]`; nullopt at anything else (the path ends there).
    std::optional<Selector> parseSelector()
    {
        if (accept(u"..")) {
            Selector s = peek() == u'[' ? parseBracket() : parseDotted();
            s.recursive = true;
            return s;
        }
        if (peek() == u'.') {
            ++m_pos;
            return parseDotted();
        }
        if (peek() == u'[')
            return parseBracket();
        return std::nullopt;
    }

    Selector parseDotted()
    {
        Selector s;
        if (peek() == u'*') {
            ++m_pos;
            s.kind = Selector::Kind::Wildcard;
            return s;
        }
        if (peek() == u'[') // `..[0]`
            return parseBracket();
        const qsizetype start = m_pos;
        while (!atEnd() && isNameChar(peek()))
            ++m_pos;
        if (m_pos == start)
            setError(QStringLiteral("expected a member name"));
        s.names.append(m_text.mid(start, m_pos - start));
        return s;
    }

    static bool isNameChar(QChar c)
    {
        static const QString stops = QStringLiteral(".[]()'\"=!<>&|,*@$~ ");
        return !c.isSpace() && !stops.contains(c);
    }

    Selector parseBracket()
    {
        ++m_pos; // '['
        skipSpaces();
        Selector s;
        if (peek() == u'*') {
            ++m_pos;
            s.kind = Selector::Kind::Wildcard;
        } else if (peek() == u'?') {
            ++m_pos;
            s.kind = Selector::Kind::Filter;
            s.filter = parseNested([this] { return parseUnary(); });
        } else if (peek() == u'\'' || peek() == u'"') {
            s.names = parseNameList();
        } else {
            parseIndexOrSlice(s);
        }
        expect(u']');
        return s;
    }

    QStringList parseNameList()
    {
        QStringList names;
        do {
            skipSpaces();
            std::optional<QString> name = parseQuoted();
            if (!name)
                break;
            names.append(*name);
            skipSpaces();
        } while (!m_error && accept(u","));
        return names;
    }

    std::optional<QString> parseQuoted()
    {
        const QChar quote = peek();
        if (quote != u'\'' && quote != u'"') {
            setError(QStringLiteral("expected a quoted name"));
            return std::nullopt;
        }
        ++m_pos;
        QString value;
        while (!atEnd() && peek() != quote) {
            if (peek() == u'\\' && m_pos + 1 < m_text.size())
                ++m_pos;
            value.append(peek());
            ++m_pos;
        }
        if (atEnd()) {
            setError(QStringLiteral("unterminated string"));
            return std::nullopt;
        }
        ++m_pos;
        return value;
    }

    std::optional<qsizetype> parseInteger()
    {
        skipSpaces();
        const qsizetype start = m_pos;
        if (peek() == u'-')
            ++m_pos;
        while (!atEnd() && peek().isDigit())
            ++m_pos;
        bool ok = false;
        const qlonglong value = QStringView(m_text).mid(start, m_pos - start).toLongLong(&ok);
        if (!ok) {
            m_pos = start;
            return std::nullopt;
        }
        skipSpaces();
        return qsizetype(value);
    }

    void parseIndexOrSlice(Selector &s)
    {
        const std::optional<qsizetype> first = parseInteger();
        if (peek() == u':') {
            s.kind = Selector::Kind::Slice;
            s.sliceStart = first;
            ++m_pos;
            s.sliceEnd = parseInteger();
            if (accept(u":")) {
                s.sliceStep = parseInteger().value_or(1);
                if (s.sliceStep <= 0)
                    setError(QStringLiteral("a slice step must be positive"));
            }
            return;
        }
        if (!first) {
            setError(QStringLiteral("expected an index, a name, '*' or a filter"));
            return;
        }
        s.kind = Selector::Kind::Indexes;
        s.indexes.append(*first);
        while (!m_error && accept(u",")) {
            const std::optional<qsizetype> next = parseInteger();
            if (!next) {
                setError(QStringLiteral("expected an index"));
                return;
            }
            s.indexes.append(*next);
        }
    }

    template<typename F> std::shared_ptr<const FilterExpr> parseNested(F parse)
    {
        if (++m_nesting > JsonPath::maxNesting) {
            setError(QStringLiteral("nested too deeply"));
            --m_nesting;
            return std::make_shared<FilterExpr>();
        }
        auto expr = parse();
        --m_nesting;
        return expr;
    }

    std::shared_ptr<const FilterExpr> parseOr()
    {
        auto left = parseAnd();
        skipSpaces();
        while (!m_error && accept(u"||")) {
            auto expr = std::make_shared<FilterExpr>();
            expr->kind = FilterExpr::Kind::Or;
            expr->left = left;
            expr->right = parseAnd();
            left = expr;
            skipSpaces();
        }
        return left;
    }

    std::shared_ptr<const FilterExpr> parseAnd()
    {
        auto left = parseUnary();
        skipSpaces();
        while (!m_error && accept(u"&&")) {
            auto expr = std::make_shared<FilterExpr>();
            expr->kind = FilterExpr::Kind::And;
            expr->left = left;
            expr->right = parseUnary();
            left = expr;
            skipSpaces();
        }
        return left;
    }

    std::shared_ptr<const FilterExpr> parseUnary()
    {
        skipSpaces();
        if (m_error)
            return std::make_shared<FilterExpr>();
        if (peek() == u'!' && peek(1) != u'=') {
            ++m_pos;
            auto expr = std::make_shared<FilterExpr>();
            expr->kind = FilterExpr::Kind::Not;
            expr->left = parseNested([this] { return parseUnary(); });
            return expr;
        }
        if (peek() == u'(') {
            ++m_pos;
            auto inner = parseNested([this] { return parseOr(); });
            expect(u')');
            return inner;
        }
        return parseComparison();
    }

    std::optional<CompareOp> parseCompareOp()
    {
        skipSpaces();
        static const std::pair<QStringView, CompareOp> ops[] = {
                {u"==", CompareOp::Equal},     {u"!=", CompareOp::NotEqual},
                {u"<=", CompareOp::LessEqual}, {u">=", CompareOp::GreaterEqual},
                {u"<", CompareOp::Less},       {u">", CompareOp::Greater},
        };
        for (const auto &[token, op] : ops) {
            if (accept(token))
                return op;
        }
        return std::nullopt;
    }

    std::shared_ptr<const FilterExpr> parseComparison()
    {
        auto expr = std::make_shared<FilterExpr>();
        expr->a = parseOperand();
        const std::optional<CompareOp> op = parseCompareOp();
        if (!op) {
            if (!expr->a.path)
                setError(QStringLiteral("a filter needs a path or a comparison"));
            expr->kind = FilterExpr::Kind::Exists;
            return expr;
        }
        expr->kind = FilterExpr::Kind::Compare;
        expr->op = *op;
        expr->b = parseOperand();
        return expr;
    }

    Operand parseOperand()
    {
        skipSpaces();
        Operand operand;
        const QChar c = peek();
        if (c == u'@' || c == u'$') {
            operand.path = parsePath(true);
        } else if (c == u'\'' || c == u'"') {
            operand.literal = parseQuoted().value_or(QString());
        } else if (accept(u"true")) {
            operand.literal = true;
        } else if (accept(u"false")) {
            operand.literal = false;
        } else if (accept(u"null")) {
            operand.literal = QJsonValue::Null;
        } else {
            operand.literal = parseNumber();
        }
        return operand;
    }

    QJsonValue parseNumber()
    {
        const qsizetype start = m_pos;
        while (!atEnd()
               && (peek().isDigit() || peek() == u'-' || peek() == u'+' || peek() == u'.'
                   || peek() == u'e' || peek() == u'E'))
            ++m_pos;
        bool ok = false;
        const double value = QStringView(m_text).mid(start, m_pos - start).toDouble(&ok);
        if (!ok) {
            setError(QStringLiteral("expected a value"));
            return {};
        }
        return value;
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    int m_nesting = 0;
    std::optional<QString> m_error;
};

/// Walks one compiled path over a document, within the visit and result bounds.
class Evaluator
{
public:
    explicit Evaluator(const QJsonValue &root)
        : m_root(root)
    {
    }

    QList<QJsonValue> run(const JsonPath::Node &node, const QJsonValue &start)
    {
        QList<QJsonValue> current{start};
        for (const Selector &selector : node.selectors) {
            QList<QJsonValue> next;
            for (const QJsonValue &value : std::as_const(current)) {
                if (selector.recursive)
                    descend(selector, value, next, 0);
                else
                    select(selector, value, next);
                if (full(next))
                    break;
            }
            current = std::move(next);
            if (current.isEmpty())
                break;
        }
        return current;
    }

private:
    bool full(const QList<QJsonValue> &out) const
    {
        return out.size() >= JsonPath::maxResults || m_visits > maxVisits;
    }

    void add(QList<QJsonValue> &out, const QJsonValue &value)
    {
        ++m_visits;
        if (!full(out))
            out.append(value);
    }

    void descend(const Selector &selector, const QJsonValue &value, QList<QJsonValue> &out,
                 int depth)
    {
        if (depth > JsonPath::maxDepth || full(out))
            return;
        select(selector, value, out);
        if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end() && !full(out); ++it)
                descend(selector, it.value(), out, depth + 1);
        } else if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size() && !full(out); ++i)
                descend(selector, array.at(i), out, depth + 1);
        }
    }

    void select(const Selector &selector, const QJsonValue &value, QList<QJsonValue> &out)
    {
        ++m_visits;
        switch (selector.kind) {
        case Selector::Kind::Names:
            selectNames(selector, value, out);
            break;
        case Selector::Kind::Wildcard:
            selectAll(value, out);
            break;
        case Selector::Kind::Indexes:
            selectIndexes(selector, value, out);
            break;
        case Selector::Kind::Slice:
            selectSlice(selector, value, out);
            break;
        case Selector::Kind::Filter:
            selectFiltered(selector, value, out);
            break;
        }
    }

    void selectNames(const Selector &selector, const QJsonValue &value, QList<QJsonValue> &out)
    {
        if (!value.isObject())
            return;
        const QJsonObject object = value.toObject();
        for (const QString &name : selector.names) {
            const auto it = object.constFind(name);
            if (it != object.constEnd())
                add(out, it.value());
        }
    }

    void selectAll(const QJsonValue &value, QList<QJsonValue> &out)
    {
        if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it)
                add(out, it.value());
        } else if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (const QJsonValue &element : array)
                add(out, element);
        }
    }

    void selectIndexes(const Selector &selector, const QJsonValue &value, QList<QJsonValue> &out)
    {
        if (!value.isArray())
            return;
        const QJsonArray array = value.toArray();
        for (qsizetype index : selector.indexes) {
            const qsizetype at = index < 0 ? array.size() + index : index;
            if (at >= 0 && at < array.size())
                add(out, array.at(at));
        }
    }

    void selectSlice(const Selector &selector, const QJsonValue &value, QList<QJsonValue> &out)
    {
        if (!value.isArray())
            return;
        const QJsonArray array = value.toArray();
        const qsizetype size = array.size();
        auto clampIndex = [size](qsizetype i) {
            return std::clamp<qsizetype>(i < 0 ? size + i : i, 0, size);
        };
        const qsizetype start = clampIndex(selector.sliceStart.value_or(0));
        const qsizetype end = clampIndex(selector.sliceEnd.value_or(size));
        for (qsizetype i = start; i < end && !full(out); i += selector.sliceStep)
            add(out, array.at(i));
    }

    void selectFiltered(const Selector &selector, const QJsonValue &value, QList<QJsonValue> &out)
    {
        if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size() && !full(out); ++i) {
                if (test(*selector.filter, array.at(i)))
                    add(out, array.at(i));
            }
        } else if (value.isObject() && test(*selector.filter, value)) {
            add(out, value);
        }
    }

    bool test(const FilterExpr &expr, const QJsonValue &current)
    {
        if (m_visits > maxVisits)
            return false;
        switch (expr.kind) {
        case FilterExpr::Kind::Or:
            return test(*expr.left, current) || test(*expr.right, current);
        case FilterExpr::Kind::And:
            return test(*expr.left, current) && test(*expr.right, current);
        case FilterExpr::Kind::Not:
            return !test(*expr.left, current);
        case FilterExpr::Kind::Exists:
            return resolve(expr.a, current).has_value();
        case FilterExpr::Kind::Compare:
            return compare(expr, current);
        }
        return false;
    }

    std::optional<QJsonValue> resolve(const Operand &operand, const QJsonValue &current)
    {
        if (!operand.path)
            return operand.literal;
        const QList<QJsonValue> found
                = run(*operand.path, operand.path->relative ? current : m_root);
        if (found.isEmpty())
            return std::nullopt;
        return found.first();
    }

    bool compare(const FilterExpr &expr, const QJsonValue &current)
    {
        const std::optional<QJsonValue> a = resolve(expr.a, current);
        const std::optional<QJsonValue> b = resolve(expr.b, current);
        if (!a || !b)
            return false; // Jayway: a missing member never satisfies a comparison
        if (expr.op == CompareOp::Equal)
            return equal(*a, *b);
        if (expr.op == CompareOp::NotEqual)
            return !equal(*a, *b);
        const std::optional<int> o = order(*a, *b);
        if (!o)
            return false;
        switch (expr.op) {
        case CompareOp::Less:
            return *o < 0;
        case CompareOp::Greater:
            return *o > 0;
        case CompareOp::LessEqual:
            return *o <= 0;
        case CompareOp::GreaterEqual:
            return *o >= 0;
        default:
            return false;
        }
    }

    static bool equal(const QJsonValue &a, const QJsonValue &b)
    {
        if (a.isDouble() && b.isDouble())
            return a.toDouble() == b.toDouble();
        return a == b;
    }

    /// <0, 0, >0 for numbers and for strings; nullopt when the two cannot be ordered.
    static std::optional<int> order(const QJsonValue &a, const QJsonValue &b)
    {
        if (a.isDouble() && b.isDouble()) {
            const double x = a.toDouble(), y = b.toDouble();
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        if (a.isString() && b.isString())
            return QString::compare(a.toString(), b.toString());
        return std::nullopt;
    }

    const QJsonValue &m_root;
    qsizetype m_visits = 0;
};

bool isDefiniteSelector(const Selector &s)
{
    if (s.recursive)
        return false;
    return (s.kind == Selector::Kind::Names && s.names.size() == 1)
           || (s.kind == Selector::Kind::Indexes && s.indexes.size() == 1);
}

} // namespace

Result<JsonPath> JsonPath::compile(const QString &expression)
{
    if (expression.size() > maxExpressionLength)
        return fail(ErrorCode::Usage,
                    "JSONPath longer than " + std::to_string(maxExpressionLength) + " characters");
    Parser parser(expression);
    auto root = parser.parseWhole();
    if (!root)
        return std::unexpected(root.error());
    JsonPath path;
    path.m_expression = expression;
    path.m_root = std::move(*root);
    return path;
}

QList<QJsonValue> JsonPath::evaluate(const QJsonValue &root) const
{
    if (!m_root)
        return {};
    Evaluator evaluator(root);
    return evaluator.run(*m_root, root);
}

bool JsonPath::isDefinite() const
{
    if (!m_root)
        return false;
    return std::all_of(m_root->selectors.begin(), m_root->selectors.end(), isDefiniteSelector);
}

QString jsonValueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9007199254740992.0)
            return QString::number(qint64(d));
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QJsonValue parseJsonValue(QByteArrayView text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &error);
    if (error.error == QJsonParseError::NoError)
        return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    // QJsonDocument takes only objects and arrays: wrap a bare scalar ("42", "\"x\"").
    const QJsonDocument wrapped = QJsonDocument::fromJson("[" + text.toByteArray() + "]", &error);
    if (error.error != QJsonParseError::NoError || wrapped.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return wrapped.array().at(0);
}

} // namespace envsync::virt
