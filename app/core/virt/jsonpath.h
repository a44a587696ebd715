#pragma once

#include "core/error.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>

namespace envsync::virt {

/// A small, bounded JSONPath evaluator over QJsonValue (Debian 12 ships no C++ JSONPath library).
/// Follows Jayway JsonPath, which WireMock uses: `$`, `.name`, `['name']`, `[N]` (negative from
/// the end), `[N,M]`, `[a:b]`, `[*]`, `.*`, `..name`, `..*`, filters `[?(@.a == 'x')]`,
/// `[?(@.a)]`, `!`, `&&`, `||`, comparisons `== != < > <= >=` on strings, numbers, booleans and
/// null. A filter on an object tests the object itself (Jayway), on an array each element.
/// Hostile input is bounded: expression length and nesting, JSON depth and result count; an
/// expression that cannot be parsed is an error from compile(), evaluate() never fails.
class JsonPath
{
public:
    static constexpr qsizetype maxExpressionLength = 4096;
    static constexpr int maxNesting = 32; ///< filters within filters, parentheses
    static constexpr int maxDepth = 256;  ///< JSON levels a `..` descends
    static constexpr qsizetype maxResults = 10000;

    struct Node; ///< the compiled expression (opaque)

    static Result<JsonPath> compile(const QString &expression);

    /// Every value the path selects, in document order; at most maxResults.
    [[nodiscard]] QList<QJsonValue> evaluate(const QJsonValue &root) const;
    /// True if the path selects at most one value by construction (no wildcard, filter, `..`,
    /// union or slice): WireMock then treats a missing value as "no match" rather than "empty".
    [[nodiscard]] bool isDefinite() const;
    [[nodiscard]] const QString &expression() const { return m_expression; }

private:
    QString m_expression;
    std::shared_ptr<const Node> m_root;
};

/// The text WireMock compares a selected value as: strings as they are, numbers in their
/// shortest form, objects and arrays as compact JSON, null as "null".
QString jsonValueText(const QJsonValue &value);

/// Any JSON text (object, array or a bare scalar) as a value; undefined when it is not JSON.
QJsonValue parseJsonValue(QByteArrayView text);

} // namespace envsync::virt
