using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SchedulingRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "archived_at",
                table: "treatments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "normalized_name",
                table: "appointment_types",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            // Existing types get their normalised name; should active ones already share a name
            // (case-insensitively), all but the oldest get a distinct key so the index can be built.
            migrationBuilder.Sql("UPDATE appointment_types SET normalized_name = lower(trim(name));");
            migrationBuilder.Sql(
                """
                UPDATE appointment_types SET normalized_name = substr(normalized_name, 1, 60) || '~' || id
                WHERE archived_at IS NULL AND EXISTS (
                    SELECT 1 FROM appointment_types o
                    WHERE o.archived_at IS NULL AND o.normalized_name = appointment_types.normalized_name AND o.id < appointment_types.id);
                """);

            migrationBuilder.CreateIndex(
                name: "ix_appointment_types_normalized_name",
                table: "appointment_types",
                column: "normalized_name",
                unique: true,
                filter: "archived_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_appointment_types_normalized_name",
                table: "appointment_types");

            migrationBuilder.DropColumn(
                name: "archived_at",
                table: "treatments");

            migrationBuilder.DropColumn(
                name: "normalized_name",
                table: "appointment_types");
        }
    }
}
