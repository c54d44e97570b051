namespace DentalClinic.ServiceModel;

/// <summary>
/// A jobs-dashboard session: the response also sets an HttpOnly, SameSite=Strict cookie scoped to
/// <see cref="DashboardUrl"/>, so a browser on the API's origin can open the dashboard until
/// <see cref="ExpiresAt"/>.
/// </summary>
public record JobsDashboardSession(string DashboardUrl, DateTime ExpiresAt);
