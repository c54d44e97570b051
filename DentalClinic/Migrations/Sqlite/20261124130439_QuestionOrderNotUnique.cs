using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QuestionOrderNotUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_medical_history_questions_order",
                table: "medical_history_questions");

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_questions_order",
                table: "medical_history_questions",
                column: "order",
                filter: "retired_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_medical_history_questions_order",
                table: "medical_history_questions");

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_questions_order",
                table: "medical_history_questions",
                column: "order",
                unique: true,
                filter: "retired_at IS NULL");
        }
    }
}
