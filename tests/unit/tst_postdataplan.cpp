// Post-data split and scheduling: which DDL runs as soon as a table's data is in, and in what
// order the scheduler releases index builds, foreign keys and ANALYZE.
#include "core/copy/postdataplan.h"
#include "core/copy/postdatascheduler.h"

#include <QtTest>

using namespace envsync::copy;

namespace {

// Shaped like pg_dump 15 --section=post-data --no-owner output.
const char *const kPostData = R"(--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET client_encoding = 'UTF8';

--
-- Name: Customers Customers_pkey; Type: CONSTRAINT; Schema: Sales Dept; Owner: -
--

ALTER TABLE ONLY "Sales Dept"."Customers"
    ADD CONSTRAINT "Customers_pkey" PRIMARY KEY (id);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: orders_placed_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX orders_placed_idx ON public.orders USING btree (placed_at);


--
-- Name: parent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX parent_idx ON ONLY public.parent USING btree (id);


--
-- Name: orders orders_touch; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch();


--
-- Name: orders orders_customer_fk; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES "Sales Dept"."Customers"(id) DEFERRABLE;


--
-- Name: orders orders_parent_fk; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_parent_fk FOREIGN KEY (parent_id) REFERENCES public.parent(id);


--
-- PostgreSQL database dump complete
--

)";

PostDataOwners owners()
{
    PostDataOwners out;
    out[{"Sales Dept", "Customers Customers_pkey"}] = {"Sales Dept", "Customers", "", "", "Customers_pkey"};
    out[{"public", "orders orders_pkey"}] = {"public", "orders", "", "", "orders_pkey"};
    out[{"public", "orders_placed_idx"}] = {"public", "orders", "", "", ""};
    out[{"public", "parent_idx"}] = {"public", "parent", "", "", ""};
    out[{"public", "orders orders_touch"}] = {"public", "orders", "", "", ""};
    out[{"public", "orders orders_customer_fk"}] = {"public", "orders", "Sales Dept", "Customers",
                                                    "orders_customer_fk"};
    out[{"public", "orders orders_parent_fk"}] = {"public", "orders", "public", "parent",
                                                  "orders_parent_fk"};
    return out;
}

// "parent" is a partitioned parent: not copied itself, so its DDL waits for the tail.
const std::vector<CopiedTable> kTables = {{"Sales Dept", "Customers"}, {"public", "orders"}};

bool stopNever()
{
    return false;
}

} // namespace

class TestPostDataPlan : public QObject
{
    Q_OBJECT

private slots:
    void headersParsed()
    {
        const DumpScript script = splitDumpScript(kPostData);
        QCOMPARE(script.entries.size(), std::size_t(7));
        QCOMPARE(script.entries[0].type, std::string("CONSTRAINT"));
        QCOMPARE(script.entries[0].name, std::string("Customers Customers_pkey"));
        QCOMPARE(script.entries[0].schema, std::string("Sales Dept"));
        QCOMPARE(script.entries[5].type, std::string("FK CONSTRAINT"));
        QVERIFY(script.preamble.find("SET client_encoding") != std::string::npos);
    }

    void tablesGetTheirBuilds()
    {
        const PostDataPlan plan = planPostData(splitDumpScript(kPostData), owners(), kTables);
        QCOMPARE(plan.tableBuilds.size(), std::size_t(2));
        QCOMPARE(plan.tableBuilds[0].size(), std::size_t(1));
        QCOMPARE(plan.tableBuilds[1].size(), std::size_t(2)); // pkey + placed_idx, not the trigger
        QCOMPARE(plan.analyze[0], std::string(R"(VACUUM (ANALYZE) "Sales Dept"."Customers")"));
        QCOMPARE(plan.foreignKeys.size(), std::size_t(1)); // the FK to "parent" waits for the tail
        const ForeignKeyStep &fk = plan.foreignKeys[0];
        QCOMPARE(fk.table, 1);
        QCOMPARE(fk.referenced, 0);
        QVERIFY(fk.addNotValid.find("DEFERRABLE NOT VALID;") != std::string::npos);
        QCOMPARE(fk.validate, std::string(R"(ALTER TABLE ONLY "public"."orders" VALIDATE CONSTRAINT "orders_customer_fk")"));
        // tail keeps dump order: parent index, trigger, then the FK to the parent
        QCOMPARE(plan.tail.size(), std::size_t(3));
        QVERIFY(plan.tail[0].find("parent_idx") != std::string::npos);
        QVERIFY(plan.tail[1].find("CREATE TRIGGER") != std::string::npos);
        QVERIFY(plan.tail[2].find("orders_parent_fk") != std::string::npos);
    }

    void unknownOwnerGoesToTail()
    {
        const PostDataPlan plan = planPostData(splitDumpScript(kPostData), {}, kTables);
        QVERIFY(plan.tableBuilds[0].empty());
        QVERIFY(plan.foreignKeys.empty());
        QCOMPARE(plan.tail.size(), std::size_t(7));
    }

    void notValidNeedsSemicolon()
    {
        QCOMPARE(withNotValid("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u(id);\n\n"),
                 std::string("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u(id) NOT VALID;\n"));
        QVERIFY(withNotValid("no semicolon").empty());
    }

    void schedulerReleasesInDependencyOrder()
    {
        const PostDataPlan plan = planPostData(splitDumpScript(kPostData), owners(), kTables);
        PostDataScheduler scheduler(plan);
        QCOMPARE(scheduler.totalTasks(), 3 + 2 + 1); // builds + VACUUMs + tracked FK
        QCOMPARE(scheduler.readyTasks(), 0); // nothing before any data is in
        QVERIFY(!scheduler.next([] { return true; })); // and a stop ends the wait

        scheduler.tableCopied(1); // orders first: its two builds, but not its FK yet
        auto a = scheduler.next(stopNever);
        auto b = scheduler.next(stopNever);
        QVERIFY(a && b);
        QCOMPARE(int(a->kind), int(PostDataScheduler::Kind::Build));
        QCOMPARE(int(b->kind), int(PostDataScheduler::Kind::Build));
        scheduler.finished(*a);
        scheduler.finished(*b);
        auto vacuumOrders = scheduler.next(stopNever);
        QVERIFY(vacuumOrders);
        QCOMPARE(int(vacuumOrders->kind), int(PostDataScheduler::Kind::VacuumAnalyze));
        QCOMPARE(vacuumOrders->table, 1);
        scheduler.finished(*vacuumOrders);
        QCOMPARE(scheduler.readyTasks(), 0); // the FK still waits for Customers

        scheduler.tableCopied(0); // Customers: its pkey, its VACUUM, then the FK
        auto pkey = scheduler.next(stopNever);
        QVERIFY(pkey && pkey->kind == PostDataScheduler::Kind::Build);
        scheduler.finished(*pkey);
        auto vacuumCustomers = scheduler.next(stopNever);
        QVERIFY(vacuumCustomers && vacuumCustomers->kind == PostDataScheduler::Kind::VacuumAnalyze);
        scheduler.finished(*vacuumCustomers);
        auto fk = scheduler.next(stopNever);
        QVERIFY(fk);
        QCOMPARE(int(fk->kind), int(PostDataScheduler::Kind::ForeignKey));
        QVERIFY(!fk->validate.empty());
        scheduler.finished(*fk);
        QVERIFY(!scheduler.next(stopNever)); // all done: returns without waiting
        QCOMPARE(scheduler.finishedTasks(), scheduler.totalTasks());
    }
};

QTEST_GUILESS_MAIN(TestPostDataPlan)
#include "tst_postdataplan.moc"
