using CoachFunctions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The isolated worker, started by the Functions host (or the local host) with its gRPC address.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddCoachFunctions();
builder.Build().Run();
