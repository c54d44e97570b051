using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddCalendarStamps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "calendar_stamps",
                columns: table => new
                {
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    stamp = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_calendar_stamps", x => x.date);
                });

            migrationBuilder.Sql(CalendarStampTriggers.Postgres);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CalendarStampTriggers.DropPostgres);
            migrationBuilder.DropTable(
                name: "calendar_stamps");
        }
    }
}
