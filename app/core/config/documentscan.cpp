#include "core/config/documentscan.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <sstream>

namespace envsync::config {

namespace {

/// Records where a document starts and whether it holds anything but an empty top-level node.
class DocumentProbe : public YAML::EventHandler
{
public:
    void reset()
    {
        m_start = YAML::Mark::null_mark();
        m_content.reset();
        m_depth = 0;
    }
    [[nodiscard]] const YAML::Mark &start() const { return m_start; }
    [[nodiscard]] const std::optional<YAML::Mark> &content() const { return m_content; }

    void OnDocumentStart(const YAML::Mark &mark) override { m_start = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &mark, YAML::anchor_t /*anchor*/) override
    {
        if (m_depth > 0)
            see(mark);
    }
    void OnAlias(const YAML::Mark &mark, YAML::anchor_t /*anchor*/) override { see(mark); }
    void OnScalar(const YAML::Mark &mark, const std::string & /*tag*/, YAML::anchor_t /*anchor*/,
                  const std::string & /*value*/) override
    {
        see(mark);
    }
    void OnSequenceStart(const YAML::Mark &mark, const std::string & /*tag*/,
                         YAML::anchor_t /*anchor*/, YAML::EmitterStyle::value /*style*/) override
    {
        see(mark);
        ++m_depth;
    }
    void OnSequenceEnd() override { --m_depth; }
    void OnMapStart(const YAML::Mark &mark, const std::string & /*tag*/, YAML::anchor_t /*anchor*/,
                    YAML::EmitterStyle::value /*style*/) override
    {
        see(mark);
        ++m_depth;
    }
    void OnMapEnd() override { --m_depth; }

private:
    void see(const YAML::Mark &mark)
    {
        if (!m_content)
            m_content = mark;
    }

    YAML::Mark m_start = YAML::Mark::null_mark();
    std::optional<YAML::Mark> m_content;
    int m_depth = 0;
};

/// Empty documents ("---" lines) cost a parser round each; a real file has one document.
constexpr int maxDocuments = 10'000;

} // namespace

DocumentScan scanDocuments(const std::string &text)
{
    DocumentScan scan;
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentProbe probe;
    int previousStart = -1;
    // Stops at the second document with content: it is an error whatever follows.
    while (scan.documents < maxDocuments) {
        probe.reset();
        if (!parser.HandleNextDocument(probe))
            break;
        // A document that starts where the previous one started consumed nothing: stuck.
        if (probe.start().pos == previousStart && !probe.content()) {
            scan.stuckAt = probe.start();
            break;
        }
        previousStart = probe.start().pos;
        ++scan.documents;
        if (!probe.content())
            continue;
        if (!scan.firstContent) {
            scan.firstContent = probe.content();
            scan.firstContentIndex = scan.documents - 1;
        } else {
            scan.extraDocument = *probe.content();
            break;
        }
    }
    return scan;
}

} // namespace envsync::config
