namespace DentalClinic.Migrations;

/// <summary>
/// The triggers that renew <c>calendar_stamps</c> (see <c>CalendarStamp</c>) in the transaction of every
/// change a day calendar shows: any insert, update or delete of an appointment (its old and new date),
/// and, under the every-day row 1000-01-01, a patient's names or an appointment type's name, colour or
/// duration being updated, or either being deleted. Stamps are random 64-bit numbers.
/// </summary>
public static class CalendarStampTriggers
{
    // Appointments: statement-level triggers, each upserting the distinct dates of its transition
    // table ("changed") in date order, so a bulk insert renews each date once and concurrent
    // transactions lock the rows in the same order. An update renews its rows' old and new dates.
    public const string Postgres = """
        CREATE FUNCTION renew_calendar_stamps_of_changed_dates() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO calendar_stamps (date, stamp)
            SELECT d.date, (random() * 9.2e18)::bigint FROM (SELECT DISTINCT date FROM changed) AS d ORDER BY d.date
            ON CONFLICT (date) DO UPDATE SET stamp = excluded.stamp;
            RETURN NULL;
        END $$;
        CREATE FUNCTION renew_every_day_calendar_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO calendar_stamps (date, stamp) VALUES (DATE '1000-01-01', (random() * 9.2e18)::bigint)
            ON CONFLICT (date) DO UPDATE SET stamp = excluded.stamp;
            RETURN NULL;
        END $$;

        CREATE TRIGGER calendar_stamps_inserted AFTER INSERT ON appointments
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION renew_calendar_stamps_of_changed_dates();
        CREATE TRIGGER calendar_stamps_updated_from AFTER UPDATE ON appointments
            REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION renew_calendar_stamps_of_changed_dates();
        CREATE TRIGGER calendar_stamps_updated_to AFTER UPDATE ON appointments
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION renew_calendar_stamps_of_changed_dates();
        CREATE TRIGGER calendar_stamps_deleted AFTER DELETE ON appointments
            REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION renew_calendar_stamps_of_changed_dates();
        CREATE TRIGGER calendar_stamps AFTER UPDATE OF first_name, last_name OR DELETE ON patients
            FOR EACH ROW EXECUTE FUNCTION renew_every_day_calendar_stamp();
        CREATE TRIGGER calendar_stamps AFTER UPDATE OF name, color, duration OR DELETE ON appointment_types
            FOR EACH ROW EXECUTE FUNCTION renew_every_day_calendar_stamp();
        """;

    public const string DropPostgres = """
        DROP TRIGGER calendar_stamps_inserted ON appointments;
        DROP TRIGGER calendar_stamps_updated_from ON appointments;
        DROP TRIGGER calendar_stamps_updated_to ON appointments;
        DROP TRIGGER calendar_stamps_deleted ON appointments;
        DROP TRIGGER calendar_stamps ON patients;
        DROP TRIGGER calendar_stamps ON appointment_types;
        DROP FUNCTION renew_calendar_stamps_of_changed_dates();
        DROP FUNCTION renew_every_day_calendar_stamp();
        """;

    private const string Renew = "INSERT INTO calendar_stamps (date, stamp) VALUES ({0}, random()) ON CONFLICT (date) DO UPDATE SET stamp = excluded.stamp;";

    public static readonly string Sqlite = $"""
        CREATE TRIGGER calendar_stamps_inserted AFTER INSERT ON appointments BEGIN {string.Format(Renew, "NEW.date")} END;
        CREATE TRIGGER calendar_stamps_updated AFTER UPDATE ON appointments BEGIN {string.Format(Renew, "OLD.date")} {string.Format(Renew, "NEW.date")} END;
        CREATE TRIGGER calendar_stamps_deleted AFTER DELETE ON appointments BEGIN {string.Format(Renew, "OLD.date")} END;
        CREATE TRIGGER calendar_stamps_patient_updated AFTER UPDATE OF first_name, last_name ON patients BEGIN {string.Format(Renew, "'1000-01-01'")} END;
        CREATE TRIGGER calendar_stamps_patient_deleted AFTER DELETE ON patients BEGIN {string.Format(Renew, "'1000-01-01'")} END;
        CREATE TRIGGER calendar_stamps_type_updated AFTER UPDATE OF name, color, duration ON appointment_types BEGIN {string.Format(Renew, "'1000-01-01'")} END;
        CREATE TRIGGER calendar_stamps_type_deleted AFTER DELETE ON appointment_types BEGIN {string.Format(Renew, "'1000-01-01'")} END;
        """;

    public const string DropSqlite = """
        DROP TRIGGER calendar_stamps_inserted;
        DROP TRIGGER calendar_stamps_updated;
        DROP TRIGGER calendar_stamps_deleted;
        DROP TRIGGER calendar_stamps_patient_updated;
        DROP TRIGGER calendar_stamps_patient_deleted;
        DROP TRIGGER calendar_stamps_type_updated;
        DROP TRIGGER calendar_stamps_type_deleted;
        """;

    // MultiChairScheduling: calendars show the dentist's name and colour and the chair's name and colour,
    // so changing those renews the every-day stamp too.
    public const string SchedulingPostgres = """
        CREATE TRIGGER calendar_stamps AFTER UPDATE OF name, calendar_color ON users
            FOR EACH ROW EXECUTE FUNCTION renew_every_day_calendar_stamp();
        CREATE TRIGGER calendar_stamps AFTER UPDATE OF name, color OR DELETE ON chairs
            FOR EACH ROW EXECUTE FUNCTION renew_every_day_calendar_stamp();
        """;

    public const string DropSchedulingPostgres = """
        DROP TRIGGER calendar_stamps ON users;
        DROP TRIGGER calendar_stamps ON chairs;
        """;

    /// <summary>
    /// SQLite: the migration rebuilds the appointments table (its status check changes), which drops the
    /// table's triggers; they are created again here, with those of users and chairs.
    /// </summary>
    public static readonly string SchedulingSqlite = $"""
        DROP TRIGGER IF EXISTS calendar_stamps_inserted;
        DROP TRIGGER IF EXISTS calendar_stamps_updated;
        DROP TRIGGER IF EXISTS calendar_stamps_deleted;
        CREATE TRIGGER calendar_stamps_inserted AFTER INSERT ON appointments BEGIN {string.Format(Renew, "NEW.date")} END;
        CREATE TRIGGER calendar_stamps_updated AFTER UPDATE ON appointments BEGIN {string.Format(Renew, "OLD.date")} {string.Format(Renew, "NEW.date")} END;
        CREATE TRIGGER calendar_stamps_deleted AFTER DELETE ON appointments BEGIN {string.Format(Renew, "OLD.date")} END;
        CREATE TRIGGER calendar_stamps_user_updated AFTER UPDATE OF name, calendar_color ON users BEGIN {string.Format(Renew, "'1000-01-01'")} END;
        CREATE TRIGGER calendar_stamps_chair_updated AFTER UPDATE OF name, color ON chairs BEGIN {string.Format(Renew, "'1000-01-01'")} END;
        CREATE TRIGGER calendar_stamps_chair_deleted AFTER DELETE ON chairs BEGIN {string.Format(Renew, "'1000-01-01'")} END;
        """;

    public const string DropSchedulingSqlite = """
        DROP TRIGGER IF EXISTS calendar_stamps_user_updated;
        DROP TRIGGER IF EXISTS calendar_stamps_chair_updated;
        DROP TRIGGER IF EXISTS calendar_stamps_chair_deleted;
        """;

    // AddScheduleStamp: the row 1000-01-02 is renewed by every change to what free-slot search reads
    // besides appointments (ScheduleSnapshotCache): users (who is an active dentist, by name), chairs,
    // hours, closures, appointment types, settings. PostgreSQL: once per statement.
    private static readonly string[] ScheduleTables = ["chairs", "schedule_intervals", "closures", "appointment_types", "settings"];

    public static readonly string SchedulePostgres = $"""
        CREATE FUNCTION renew_schedule_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO calendar_stamps (date, stamp) VALUES (DATE '1000-01-02', (random() * 9.2e18)::bigint)
            ON CONFLICT (date) DO UPDATE SET stamp = excluded.stamp;
            RETURN NULL;
        END $$;
        CREATE TRIGGER schedule_stamp AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF name, role, is_active ON users
            FOR EACH STATEMENT EXECUTE FUNCTION renew_schedule_stamp();
        {string.Join("\n", ScheduleTables.Select(t =>
            $"CREATE TRIGGER schedule_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION renew_schedule_stamp();"))}
        """;

    public static readonly string DropSchedulePostgres = $"""
        DROP TRIGGER schedule_stamp ON users;
        {string.Join("\n", ScheduleTables.Select(t => $"DROP TRIGGER schedule_stamp ON {t};"))}
        DROP FUNCTION renew_schedule_stamp();
        """;

    private static readonly string RenewSchedule = string.Format(Renew, "'1000-01-02'");

    public static readonly string ScheduleSqlite = $"""
        CREATE TRIGGER schedule_stamp_users_inserted AFTER INSERT ON users BEGIN {RenewSchedule} END;
        CREATE TRIGGER schedule_stamp_users_updated AFTER UPDATE OF name, role, is_active ON users BEGIN {RenewSchedule} END;
        CREATE TRIGGER schedule_stamp_users_deleted AFTER DELETE ON users BEGIN {RenewSchedule} END;
        {string.Join("\n", ScheduleTables.SelectMany(t => new[] { "INSERT", "UPDATE", "DELETE" }.Select(e =>
            $"CREATE TRIGGER schedule_stamp_{t}_{e.ToLowerInvariant()} AFTER {e} ON {t} BEGIN {RenewSchedule} END;")))}
        """;

    public static readonly string DropScheduleSqlite = string.Join("\n",
        new[] { "users" }.Concat(ScheduleTables).SelectMany(t => new[] { "insert", "update", "delete" }.Select(e => $"DROP TRIGGER IF EXISTS schedule_stamp_{t}_{e};"))
            .Concat(["DROP TRIGGER IF EXISTS schedule_stamp_users_inserted;", "DROP TRIGGER IF EXISTS schedule_stamp_users_updated;", "DROP TRIGGER IF EXISTS schedule_stamp_users_deleted;"]));
}
