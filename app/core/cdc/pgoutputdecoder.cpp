#include "core/cdc/pgoutputdecoder.h"

#include <limits>
#include <utility>

namespace envsync::cdc {

namespace {

// 2000-01-01 00:00:00 UTC as Unix seconds.
constexpr std::int64_t pgEpochUnixSeconds = 946'684'800;

/// A bounds-checked big-endian reader over one message. The first failure sticks: later
/// reads return zero values, and the caller asks ok() once per step.
class WireReader
{
public:
    explicit WireReader(std::string_view bytes)
        : m_bytes(bytes)
    {
    }

    [[nodiscard]] bool ok() const { return m_error.empty(); }
    [[nodiscard]] const std::string &error() const { return m_error; }
    [[nodiscard]] std::size_t offset() const { return m_offset; }
    [[nodiscard]] bool atEnd() const { return m_offset == m_bytes.size(); }

    /// A field missing at the current offset.
    void setError(std::string what) { setErrorAt(std::move(what), m_offset); }
    /// The field just read holds a value that is not allowed: the offset is where it starts.
    void invalid(std::string what) { setErrorAt(std::move(what), m_fieldStart); }

    std::uint64_t unsignedBE(std::size_t width, const char *what)
    {
        if (!ok())
            return 0;
        if (m_bytes.size() - m_offset < width) {
            setError(std::string("truncated ") + what);
            return 0;
        }
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < width; ++i)
            value = (value << 8) | static_cast<unsigned char>(m_bytes[m_offset + i]);
        m_fieldStart = m_offset;
        m_offset += width;
        return value;
    }

    std::uint8_t u8(const char *what) { return static_cast<std::uint8_t>(unsignedBE(1, what)); }
    std::int16_t i16(const char *what)
    {
        return static_cast<std::int16_t>(static_cast<std::uint16_t>(unsignedBE(2, what)));
    }
    std::uint32_t u32(const char *what) { return static_cast<std::uint32_t>(unsignedBE(4, what)); }
    std::int32_t i32(const char *what) { return static_cast<std::int32_t>(u32(what)); }
    std::uint64_t u64(const char *what) { return unsignedBE(8, what); }
    std::int64_t i64(const char *what) { return static_cast<std::int64_t>(u64(what)); }

    /// A NUL-terminated string.
    std::string cstring(const char *what)
    {
        if (!ok())
            return {};
        const auto end = m_bytes.find('\0', m_offset);
        if (end == std::string_view::npos) {
            setError(std::string("unterminated ") + what);
            return {};
        }
        std::string text(m_bytes.substr(m_offset, end - m_offset));
        m_offset = end + 1;
        return text;
    }

    std::string bytes(std::size_t count, const char *what)
    {
        if (!ok())
            return {};
        if (m_bytes.size() - m_offset < count) {
            setError(std::string("truncated ") + what);
            return {};
        }
        std::string data(m_bytes.substr(m_offset, count));
        m_offset += count;
        return data;
    }

    [[nodiscard]] std::size_t remaining() const { return m_bytes.size() - m_offset; }

private:
    void setErrorAt(std::string what, std::size_t offset)
    {
        if (m_error.empty())
            m_error = std::move(what) + " at byte " + std::to_string(offset);
    }

    std::string_view m_bytes;
    std::size_t m_offset = 0;
    std::size_t m_fieldStart = 0;
    std::string m_error;
};

std::int64_t commitTime(WireReader &in)
{
    const std::int64_t pgMicros = in.i64("timestamp");
    const auto unix = pgEpochToUnixMicros(pgMicros);
    if (!unix) {
        in.invalid("timestamp out of range");
        return 0;
    }
    return *unix;
}

Tuple readTuple(WireReader &in)
{
    const std::int16_t count = in.i16("tuple column count");
    if (count < 0)
        in.invalid("negative tuple column count");
    Tuple tuple;
    if (!in.ok())
        return tuple;
    // Each column takes at least one byte: never reserve more than the message can hold.
    tuple.reserve(std::min<std::size_t>(static_cast<std::size_t>(count), in.remaining()));
    for (int i = 0; i < count && in.ok(); ++i) {
        const char kind = static_cast<char>(in.u8("column kind"));
        TupleValue value;
        switch (kind) {
        case 'n':
            value.kind = TupleValue::Kind::Null;
            break;
        case 'u':
            value.kind = TupleValue::Kind::Unchanged;
            break;
        case 't': {
            const std::int32_t length = in.i32("column length");
            if (length < 0) {
                in.invalid("negative column length");
                break;
            }
            value.kind = TupleValue::Kind::Text;
            value.text = in.bytes(static_cast<std::size_t>(length), "column value");
            break;
        }
        case 'b':
            in.invalid("binary column value (EnvSync asks for text)");
            break;
        default:
            if (in.ok())
                in.invalid("unknown column kind");
            break;
        }
        tuple.push_back(std::move(value));
    }
    return tuple;
}

/// 'K' or 'O' followed by a tuple.
bool readOldTuple(WireReader &in, char marker, Tuple &tuple, bool &isKey)
{
    if (marker != 'K' && marker != 'O')
        return false;
    isKey = marker == 'K';
    tuple = readTuple(in);
    return true;
}

pgoutput::Begin readBegin(WireReader &in)
{
    pgoutput::Begin begin;
    begin.finalLsn = in.u64("final LSN");
    begin.commitTimeMicros = commitTime(in);
    begin.xid = in.u32("xid");
    return begin;
}

pgoutput::Commit readCommit(WireReader &in)
{
    pgoutput::Commit commit;
    commit.flags = in.u8("flags");
    commit.commitLsn = in.u64("commit LSN");
    commit.endLsn = in.u64("end LSN");
    commit.commitTimeMicros = commitTime(in);
    return commit;
}

pgoutput::Origin readOrigin(WireReader &in)
{
    pgoutput::Origin origin;
    origin.commitLsn = in.u64("origin LSN");
    origin.name = in.cstring("origin name");
    return origin;
}

cdc::Relation readRelation(WireReader &in)
{
    cdc::Relation relation;
    relation.id = in.u32("relation OID");
    relation.schema = in.cstring("namespace");
    relation.table = in.cstring("relation name");
    relation.replicaIdentity = static_cast<char>(in.u8("replica identity"));
    const std::string_view identities = "dnfi";
    if (in.ok() && identities.find(relation.replicaIdentity) == std::string_view::npos)
        in.invalid("unknown replica identity");
    const std::int16_t count = in.i16("column count");
    if (count < 0)
        in.invalid("negative column count");
    if (!in.ok())
        return relation;
    relation.columns.reserve(
            std::min<std::size_t>(static_cast<std::size_t>(count), in.remaining()));
    for (int i = 0; i < count && in.ok(); ++i) {
        RelationColumn column;
        column.key = (in.u8("column flags") & 1) != 0;
        column.name = in.cstring("column name");
        column.typeOid = in.u32("column type");
        column.typeModifier = in.i32("column type modifier");
        relation.columns.push_back(std::move(column));
    }
    return relation;
}

pgoutput::Type readType(WireReader &in)
{
    pgoutput::Type type;
    type.typeOid = in.u32("type OID");
    type.schema = in.cstring("type namespace");
    type.name = in.cstring("type name");
    return type;
}

pgoutput::Insert readInsert(WireReader &in)
{
    pgoutput::Insert insert;
    insert.relationId = in.u32("relation OID");
    if (in.u8("tuple marker") != 'N' && in.ok())
        in.invalid("expected new tuple 'N'");
    insert.newTuple = readTuple(in);
    return insert;
}

pgoutput::Update readUpdate(WireReader &in)
{
    pgoutput::Update update;
    update.relationId = in.u32("relation OID");
    char marker = static_cast<char>(in.u8("tuple marker"));
    Tuple old;
    if (in.ok() && readOldTuple(in, marker, old, update.oldIsKey)) {
        update.oldTuple = std::move(old);
        marker = static_cast<char>(in.u8("tuple marker"));
    }
    if (marker != 'N' && in.ok())
        in.invalid("expected new tuple 'N'");
    update.newTuple = readTuple(in);
    return update;
}

pgoutput::Delete readDelete(WireReader &in)
{
    pgoutput::Delete deletion;
    deletion.relationId = in.u32("relation OID");
    const char marker = static_cast<char>(in.u8("tuple marker"));
    if (in.ok() && !readOldTuple(in, marker, deletion.oldTuple, deletion.oldIsKey))
        in.invalid("expected old tuple 'K' or 'O'");
    return deletion;
}

pgoutput::Truncate readTruncate(WireReader &in)
{
    pgoutput::Truncate truncate;
    const std::uint32_t count = in.u32("relation count");
    const std::uint8_t options = in.u8("options");
    truncate.cascade = (options & 1) != 0;
    truncate.restartIdentity = (options & 2) != 0;
    if (in.ok() && count > in.remaining() / 4)
        in.setError("truncated relation list");
    if (!in.ok())
        return truncate;
    truncate.relationIds.reserve(count);
    for (std::uint32_t i = 0; i < count && in.ok(); ++i)
        truncate.relationIds.push_back(in.u32("relation OID"));
    return truncate;
}

pgoutput::Message readMessage(WireReader &in)
{
    pgoutput::Message message;
    message.transactional = (in.u8("flags") & 1) != 0;
    message.lsn = in.u64("message LSN");
    message.prefix = in.cstring("message prefix");
    const std::int32_t length = in.i32("message length");
    if (length < 0)
        in.invalid("negative message length");
    else
        message.content = in.bytes(static_cast<std::size_t>(length), "message content");
    return message;
}

const char *kindName(char kind)
{
    switch (kind) {
    case 'B':
        return "Begin";
    case 'C':
        return "Commit";
    case 'O':
        return "Origin";
    case 'R':
        return "Relation";
    case 'Y':
        return "Type";
    case 'I':
        return "Insert";
    case 'U':
        return "Update";
    case 'D':
        return "Delete";
    case 'T':
        return "Truncate";
    case 'M':
        return "Message";
    default:
        return nullptr;
    }
}

std::optional<DecodedMessage> readBody(char kind, WireReader &in)
{
    switch (kind) {
    case 'B':
        return readBegin(in);
    case 'C':
        return readCommit(in);
    case 'O':
        return readOrigin(in);
    case 'R':
        return readRelation(in);
    case 'Y':
        return readType(in);
    case 'I':
        return readInsert(in);
    case 'U':
        return readUpdate(in);
    case 'D':
        return readDelete(in);
    case 'T':
        return readTruncate(in);
    case 'M':
        return readMessage(in);
    default:
        return std::nullopt;
    }
}

} // namespace

std::optional<std::int64_t> pgEpochToUnixMicros(std::int64_t pgMicros)
{
    constexpr std::int64_t offset = pgEpochUnixSeconds * 1'000'000;
    if (pgMicros > std::numeric_limits<std::int64_t>::max() - offset)
        return std::nullopt;
    return pgMicros + offset;
}

Result<DecodedMessage> decodePgOutput(std::string_view bytes)
{
    if (bytes.empty())
        return fail(ErrorCode::Database, "empty message", "pgoutput");
    const char kind = bytes.front();
    const char *name = kindName(kind);
    if (!name) {
        const unsigned code = static_cast<unsigned char>(kind);
        return fail(ErrorCode::Database, "unknown message kind (byte " + std::to_string(code) + ")",
                    "pgoutput");
    }
    WireReader in(bytes);
    in.u8("message kind"); // offsets in errors count from the kind byte
    auto message = readBody(kind, in);
    if (in.ok() && !in.atEnd())
        in.setError("trailing bytes");
    if (!in.ok() || !message)
        return fail(ErrorCode::Database, std::string(name) + " message: " + in.error(), "pgoutput");
    return std::move(*message);
}

} // namespace envsync::cdc
