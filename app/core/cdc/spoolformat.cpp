#include "spoolformat.h"

#include <array>
#include <cstring>
#include <limits>

namespace envsync::cdc {

namespace {

enum ChangeFlag : std::uint8_t {
    HasOld = 1,
    OldIsKey = 2,
    Cascade = 4,
    RestartIdentity = 8,
};

class Encoder
{
public:
    void byte(std::uint8_t value) { m_bytes.push_back(static_cast<char>(value)); }

    void varint(std::uint64_t value)
    {
        while (value >= 0x80) {
            byte(static_cast<std::uint8_t>(value | 0x80));
            value >>= 7;
        }
        byte(static_cast<std::uint8_t>(value));
    }

    void signedVarint(std::int64_t value)
    {
        const auto bits = static_cast<std::uint64_t>(value);
        varint((bits << 1) ^ (value < 0 ? ~std::uint64_t(0) : 0));
    }

    void string(std::string_view text)
    {
        varint(text.size());
        m_bytes.append(text);
    }

    void tuple(const Tuple &values)
    {
        varint(values.size());
        for (const auto &value : values) {
            byte(static_cast<std::uint8_t>(value.kind));
            if (value.kind == TupleValue::Kind::Text)
                string(value.text);
        }
    }

    std::string take() { return std::move(m_bytes); }

private:
    std::string m_bytes;
};

class Decoder
{
public:
    explicit Decoder(std::string_view bytes)
        : m_bytes(bytes)
    {
    }

    [[nodiscard]] bool atEnd() const { return m_at == m_bytes.size(); }
    [[nodiscard]] std::size_t left() const { return m_bytes.size() - m_at; }

    Result<std::uint8_t> byte()
    {
        if (atEnd())
            return truncated();
        return static_cast<std::uint8_t>(m_bytes[m_at++]);
    }

    Result<std::uint64_t> varint()
    {
        std::uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            auto next = byte();
            if (!next)
                return std::unexpected(next.error());
            const std::uint64_t bits = *next & 0x7f;
            // The tenth byte may only carry the top bit of a 64-bit value.
            if (shift == 63 && bits > 1)
                return bad("varint overflows 64 bits");
            value |= bits << shift;
            if ((*next & 0x80) == 0)
                return value;
        }
        return bad("varint longer than 10 bytes");
    }

    Result<std::int64_t> signedVarint()
    {
        auto bits = varint();
        if (!bits)
            return std::unexpected(bits.error());
        return static_cast<std::int64_t>((*bits >> 1) ^ (~(*bits & 1) + 1));
    }

    template<typename T> Result<T> unsignedOf()
    {
        auto value = varint();
        if (!value)
            return std::unexpected(value.error());
        if (*value > std::numeric_limits<T>::max())
            return bad("value out of range");
        return static_cast<T>(*value);
    }

    /// A count of items that each take at least one byte: never more than the bytes left, so a
    /// forged count cannot make us reserve gigabytes.
    Result<std::size_t> count()
    {
        auto value = varint();
        if (!value)
            return std::unexpected(value.error());
        if (*value > left())
            return bad("count larger than the record");
        return static_cast<std::size_t>(*value);
    }

    Result<std::string> string()
    {
        auto size = count();
        if (!size)
            return std::unexpected(size.error());
        std::string text(m_bytes.substr(m_at, *size));
        m_at += *size;
        return text;
    }

    Result<Tuple> tuple()
    {
        auto size = count();
        if (!size)
            return std::unexpected(size.error());
        Tuple values;
        values.reserve(*size);
        for (std::size_t i = 0; i < *size; ++i) {
            auto kind = byte();
            if (!kind)
                return std::unexpected(kind.error());
            if (*kind > static_cast<std::uint8_t>(TupleValue::Kind::Text))
                return bad("unknown tuple value kind");
            TupleValue value{static_cast<TupleValue::Kind>(*kind), {}};
            if (value.kind == TupleValue::Kind::Text) {
                auto text = string();
                if (!text)
                    return std::unexpected(text.error());
                value.text = std::move(*text);
            }
            values.push_back(std::move(value));
        }
        return values;
    }

    std::unexpected<Error> bad(const std::string &why) const
    {
        return fail(ErrorCode::Io,
                    "malformed spool record: " + why + " at byte " + std::to_string(m_at));
    }

private:
    std::unexpected<Error> truncated() const { return bad("truncated"); }

    std::string_view m_bytes;
    std::size_t m_at = 0;
};

// Unwraps a Result<T> into `target` or returns its error from the enclosing function.
#define SPOOL_READ(target, expression)                                                             \
    do {                                                                                           \
        auto value_ = (expression);                                                                \
        if (!value_)                                                                               \
            return std::unexpected(value_.error());                                                \
        (target) = std::move(*value_);                                                             \
    } while (false)

void encodeRelation(Encoder &out, const Relation &relation)
{
    out.varint(relation.id);
    out.string(relation.schema);
    out.string(relation.table);
    out.byte(static_cast<std::uint8_t>(relation.replicaIdentity));
    out.varint(relation.columns.size());
    for (const auto &column : relation.columns) {
        out.string(column.name);
        out.varint(column.typeOid);
        out.signedVarint(column.typeModifier);
        out.string(column.typeName);
        out.byte(column.key ? 1 : 0);
    }
}

Result<Relation> decodeRelation(Decoder &in)
{
    Relation relation;
    SPOOL_READ(relation.id, in.unsignedOf<std::uint32_t>());
    SPOOL_READ(relation.schema, in.string());
    SPOOL_READ(relation.table, in.string());
    std::uint8_t identity = 0;
    SPOOL_READ(identity, in.byte());
    relation.replicaIdentity = static_cast<char>(identity);
    std::size_t columns = 0;
    SPOOL_READ(columns, in.count());
    relation.columns.reserve(columns);
    for (std::size_t i = 0; i < columns; ++i) {
        RelationColumn column;
        SPOOL_READ(column.name, in.string());
        SPOOL_READ(column.typeOid, in.unsignedOf<std::uint32_t>());
        std::int64_t modifier = 0;
        SPOOL_READ(modifier, in.signedVarint());
        if (modifier < std::numeric_limits<std::int32_t>::min()
            || modifier > std::numeric_limits<std::int32_t>::max())
            return in.bad("type modifier out of range");
        column.typeModifier = static_cast<std::int32_t>(modifier);
        SPOOL_READ(column.typeName, in.string());
        std::uint8_t key = 0;
        SPOOL_READ(key, in.byte());
        if (key > 1)
            return in.bad("key flag not 0 or 1");
        column.key = key == 1;
        relation.columns.push_back(std::move(column));
    }
    return relation;
}

void encodeTransaction(Encoder &out, const SourceTransaction &transaction)
{
    out.varint(transaction.xid);
    out.varint(transaction.commitLsn);
    out.varint(transaction.endLsn);
    out.signedVarint(transaction.commitTimeMicros);
    out.varint(transaction.changes.size());
    for (const auto &change : transaction.changes) {
        out.byte(static_cast<std::uint8_t>(change.kind));
        out.varint(change.relationId);
        std::uint8_t flags = 0;
        flags |= change.oldTuple ? HasOld : 0;
        flags |= change.oldIsKey ? OldIsKey : 0;
        flags |= change.truncateCascade ? Cascade : 0;
        flags |= change.truncateRestartIdentity ? RestartIdentity : 0;
        out.byte(flags);
        if (change.oldTuple)
            out.tuple(*change.oldTuple);
        out.tuple(change.newTuple);
        out.varint(change.truncated.size());
        for (const auto id : change.truncated)
            out.varint(id);
    }
}

Result<SourceTransaction> decodeTransaction(Decoder &in)
{
    SourceTransaction transaction;
    SPOOL_READ(transaction.xid, in.unsignedOf<std::uint32_t>());
    SPOOL_READ(transaction.commitLsn, in.varint());
    SPOOL_READ(transaction.endLsn, in.varint());
    SPOOL_READ(transaction.commitTimeMicros, in.signedVarint());
    std::size_t changes = 0;
    SPOOL_READ(changes, in.count());
    transaction.changes.reserve(changes);
    for (std::size_t i = 0; i < changes; ++i) {
        RowChange change;
        std::uint8_t kind = 0;
        SPOOL_READ(kind, in.byte());
        if (kind > static_cast<std::uint8_t>(ChangeKind::Truncate))
            return in.bad("unknown change kind");
        change.kind = static_cast<ChangeKind>(kind);
        SPOOL_READ(change.relationId, in.unsignedOf<std::uint32_t>());
        std::uint8_t flags = 0;
        SPOOL_READ(flags, in.byte());
        if (flags & ~(HasOld | OldIsKey | Cascade | RestartIdentity))
            return in.bad("unknown change flags");
        change.oldIsKey = (flags & OldIsKey) != 0;
        change.truncateCascade = (flags & Cascade) != 0;
        change.truncateRestartIdentity = (flags & RestartIdentity) != 0;
        if (flags & HasOld) {
            Tuple old;
            SPOOL_READ(old, in.tuple());
            change.oldTuple = std::move(old);
        }
        SPOOL_READ(change.newTuple, in.tuple());
        std::size_t truncated = 0;
        SPOOL_READ(truncated, in.count());
        change.truncated.reserve(truncated);
        for (std::size_t t = 0; t < truncated; ++t) {
            std::uint32_t id = 0;
            SPOOL_READ(id, in.unsignedOf<std::uint32_t>());
            change.truncated.push_back(id);
        }
        transaction.changes.push_back(std::move(change));
    }
    return transaction;
}

Result<std::vector<SequenceValue>> decodeSequences(Decoder &in)
{
    std::size_t count = 0;
    SPOOL_READ(count, in.count());
    std::vector<SequenceValue> sequences;
    sequences.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        SequenceValue sequence;
        SPOOL_READ(sequence.schema, in.string());
        SPOOL_READ(sequence.name, in.string());
        SPOOL_READ(sequence.lastValue, in.signedVarint());
        sequences.push_back(std::move(sequence));
    }
    return sequences;
}

constexpr std::array<std::uint32_t, 256> crc32cTable()
{
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t crc = i;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
        table[i] = crc;
    }
    return table;
}

constexpr auto crcTable = crc32cTable();

} // namespace

std::string encodeSpoolEntry(const SpoolEntry &entry)
{
    Encoder out;
    out.byte(spoolFormatVersion);
    out.byte(static_cast<std::uint8_t>(entry.kind));
    switch (entry.kind) {
    case SpoolEntry::Kind::Relation:
        encodeRelation(out, entry.relation);
        break;
    case SpoolEntry::Kind::Transaction:
        encodeTransaction(out, entry.transaction);
        break;
    case SpoolEntry::Kind::Sequences:
        out.varint(entry.sequences.size());
        for (const auto &sequence : entry.sequences) {
            out.string(sequence.schema);
            out.string(sequence.name);
            out.signedVarint(sequence.lastValue);
        }
        break;
    case SpoolEntry::Kind::Position:
        out.varint(entry.position);
        break;
    }
    return out.take();
}

Result<SpoolEntry> decodeSpoolEntry(std::string_view bytes)
{
    Decoder in(bytes);
    std::uint8_t version = 0;
    SPOOL_READ(version, in.byte());
    if (version != spoolFormatVersion)
        return in.bad("unknown format version " + std::to_string(version));
    std::uint8_t kind = 0;
    SPOOL_READ(kind, in.byte());
    SpoolEntry entry;
    switch (kind) {
    case static_cast<std::uint8_t>(SpoolEntry::Kind::Relation):
        entry.kind = SpoolEntry::Kind::Relation;
        SPOOL_READ(entry.relation, decodeRelation(in));
        break;
    case static_cast<std::uint8_t>(SpoolEntry::Kind::Transaction):
        entry.kind = SpoolEntry::Kind::Transaction;
        SPOOL_READ(entry.transaction, decodeTransaction(in));
        break;
    case static_cast<std::uint8_t>(SpoolEntry::Kind::Sequences):
        entry.kind = SpoolEntry::Kind::Sequences;
        SPOOL_READ(entry.sequences, decodeSequences(in));
        break;
    case static_cast<std::uint8_t>(SpoolEntry::Kind::Position):
        entry.kind = SpoolEntry::Kind::Position;
        SPOOL_READ(entry.position, in.varint());
        break;
    default:
        return in.bad("unknown entry kind " + std::to_string(kind));
    }
    if (!in.atEnd())
        return in.bad("trailing bytes");
    return entry;
}

#undef SPOOL_READ

namespace {

std::uint32_t crc32cTableDriven(std::string_view bytes, std::uint32_t crc)
{
    for (const char c : bytes)
        crc = crcTable[(crc ^ static_cast<std::uint8_t>(c)) & 0xff] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
// SSE 4.2's crc32 instruction computes CRC-32C (Castagnoli), eight bytes at a time: the table
// above costs a byte per step, and every spool frame is checksummed when written and read.
__attribute__((target("sse4.2"))) std::uint32_t crc32cHardware(std::string_view bytes,
                                                               std::uint32_t crc)
{
    const char *data = bytes.data();
    std::size_t size = bytes.size();
    std::uint64_t wide = crc;
    for (; size >= 8; data += 8, size -= 8) {
        std::uint64_t word;
        std::memcpy(&word, data, sizeof word);
        wide = __builtin_ia32_crc32di(wide, word);
    }
    crc = static_cast<std::uint32_t>(wide);
    for (; size > 0; ++data, --size)
        crc = __builtin_ia32_crc32qi(crc, static_cast<unsigned char>(*data));
    return crc;
}
#endif

} // namespace

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc)
{
#if defined(__x86_64__)
    static const bool hardware = __builtin_cpu_supports("sse4.2");
    if (hardware)
        return ~crc32cHardware(bytes, ~crc);
#endif
    return ~crc32cTableDriven(bytes, ~crc);
}

} // namespace envsync::cdc
