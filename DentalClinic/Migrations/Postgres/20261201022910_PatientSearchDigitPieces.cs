using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PatientSearchDigitPieces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PatientSearchDigitPiecesBackfill.Postgres);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to every tail of each run.
            migrationBuilder.Sql("TRUNCATE patient_search_digits");
            migrationBuilder.Sql(PatientSearchDigitsBackfill.Postgres);
        }
    }
}
