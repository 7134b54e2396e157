using CoachFunctions.Hosting;

// One app, two hosts: the Functions custom handler when FUNCTIONS_CUSTOMHANDLER_PORT is set,
// otherwise the local host that also plays the Functions host and SignalR Service.
var app = CoachApp.Build(args);
app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("CoachFunctions ({Mode} host) listening on {Urls}", HostModes.From(app.Configuration), string.Join(", ", app.Urls)));
app.Run();
