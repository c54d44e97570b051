using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
{
    /// <summary>Free-slot search caches what it reads besides appointments under a stamp these triggers renew (ScheduleSnapshotCache).</summary>
    public partial class AddScheduleStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CalendarStampTriggers.ScheduleSqlite);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CalendarStampTriggers.DropScheduleSqlite);
        }
    }
}
