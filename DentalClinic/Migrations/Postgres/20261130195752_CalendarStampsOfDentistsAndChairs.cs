using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <summary>
    /// Calendars show dentists' and chairs' names and colours: changing them renews the every-day stamp.
    /// A migration of its own because SQLite's rebuild of the appointments table in MultiChairScheduling
    /// runs after everything else of that migration and drops the table's triggers, which are made again here.
    /// </summary>
    public partial class CalendarStampsOfDentistsAndChairs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CalendarStampTriggers.SchedulingPostgres);

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CalendarStampTriggers.DropSchedulingPostgres);

        }
    }
}
