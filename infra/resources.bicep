// Everything CoachFunctions runs on, in one resource group (main.bicep passes the parameters).
// Each app setting below is one the app reads; infra/README.md and the tests in
// CoachFunctions.Tests/Infra/ say which and why.

param location string
param tags object
@description('uniqueString() of the subscription, environment and location: 13 characters, so every name below fits.')
@minLength(13)
@maxLength(13)
param resourceToken string
param openAiLocation string
param staticWebAppLocation string
param functionInstanceMemoryMB int
param functionMaximumInstanceCount int
param openAiModelName string
param openAiModelVersion string
param openAiDeploymentSkuName string
param openAiDeploymentCapacity int
param signalRSkuName string
param signalRCapacity int
param authAuthority string
param authAudience string
param authIssuer string
param authSubjectClaim string
param authAdminRole string
param scanSchedule string
param generationStrategy string
param aiDetectorEnabled bool
param weComCorpId string
@secure()
param weComCorpSecret string
@secure()
param weComToken string
@secure()
param weComEncodingAesKey string
param weComContactUrl string
param weComMiniProgramAppId string
param weComMiniProgramPagePath string
param weComMiniProgramThumbMediaId string
param channelsPushWebhookUrl string
param channelsEmailWebhookUrl string
@secure()
param channelsWebhookSecret string

// The Azure OpenAI deployment name is what the app calls the model (Llm__Model).
var openAiDeploymentName = 'coach-chat'
var deploymentContainerName = 'app-package'

// Built-in role definitions (the same GUID in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  cognitiveServicesOpenAIUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
  signalRServiceOwner: '7e4f1700-ea5a-4f59-8f37-079cfe29dce3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// ---- The one identity: the function app's, for the Functions host and the app alike ----------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceToken}'
  location: location
  tags: tags
}

// ---- Storage: the host's (locks, timers, queue triggers, the deployment package) and the app's tables and queues

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: 'st${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

// ---- SignalR Service: Serverless, Entra ID only (client tokens come from its :generateToken) ------

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: 'sigr-${resourceToken}'
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: signalRSkuName
    capacity: signalRCapacity
  }
  properties: {
    features: [
      { flag: 'ServiceMode', value: 'Serverless' }
      { flag: 'EnableConnectivityLogs', value: 'True' }
    ]
    // The browser negotiates with the service directly: only the web client's origin.
    cors: { allowedOrigins: [webOrigin] }
    disableLocalAuth: true
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
  }
}

// ---- Azure OpenAI: one chat model deployment, Entra ID only ---------------------------------------

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: 'oai-${resourceToken}'
  location: openAiLocation
  tags: tags
  kind: 'OpenAI'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: 'oai-${resourceToken}'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource chatDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: openAi
  name: openAiDeploymentName
  sku: {
    name: openAiDeploymentSkuName
    capacity: openAiDeploymentCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: openAiModelName
      version: openAiModelVersion
    }
    versionUpgradeOption: 'NoAutoUpgrade'
  }
}

// ---- Monitoring: Application Insights on a Log Analytics workspace, Entra ID ingestion only -------

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

// ---- The web client: Static Web Apps (Free); the function app allows its origin only --------------

resource web 'Microsoft.Web/staticSites@2024-04-01' = {
  name: 'swa-${resourceToken}'
  location: staticWebAppLocation
  tags: union(tags, { 'azd-service-name': 'web' })
  sku: {
    name: 'Free'
    tier: 'Free'
  }
  properties: {}
}

var webOrigin = 'https://${web.properties.defaultHostname}'

// ---- Role assignments: each role on the one resource that needs it, to the identity only ----------

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(openAi.id, identity.id, roles.cognitiveServicesOpenAIUser)
  scope: openAi
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesOpenAIUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource signalROwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signalR.id, identity.id, roles.signalRServiceOwner)
  scope: signalR
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.signalRServiceOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---- The function app: Flex Consumption, Linux, .NET 10 isolated ---------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${resourceToken}'
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: functionInstanceMemoryMB
        maximumInstanceCount: functionMaximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      cors: {
        allowedOrigins: [webOrigin]
        supportCredentials: false
      }
      appSettings: [
        // Storage, identity-based, for the host and the app (StorageClients reads the same settings).
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        // Telemetry: the host and the app's OpenTelemetry exporter, both with the identity.
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=${identity.properties.clientId}' }
        // SignalR Service through its REST API, with Entra ID tokens.
        { name: 'AzureSignalRConnectionString__serviceUri', value: 'https://${signalR.properties.hostName}' }
        { name: 'AzureSignalRConnectionString__clientId', value: identity.properties.clientId }
        // Azure OpenAI with Entra ID tokens.
        { name: 'Llm__Provider', value: 'azure-openai' }
        { name: 'Llm__Endpoint', value: openAi.properties.endpoint }
        { name: 'Llm__Model', value: chatDeployment.name }
        { name: 'Llm__UseManagedIdentity', value: 'true' }
        { name: 'Llm__ManagedIdentityClientId', value: identity.properties.clientId }
        { name: 'Llm__TimeoutSeconds', value: '8' }
        { name: 'Llm__MaxOutputTokens', value: '400' }
        // Users sign in with Entra ID (or another OpenID Connect issuer).
        { name: 'Auth__Authority', value: authAuthority }
        { name: 'Auth__Audience', value: authAudience }
        { name: 'Auth__Issuer', value: authIssuer }
        { name: 'Auth__SubjectClaim', value: authSubjectClaim }
        { name: 'Auth__AdminRole', value: authAdminRole }
        // The coach, at the app's defaults.
        { name: 'ScanSchedule', value: scanSchedule }
        { name: 'Generation__Strategy', value: generationStrategy }
        { name: 'Generation__MinLength', value: '10' }
        { name: 'Generation__MaxLength', value: '200' }
        { name: 'Generation__TimeoutSeconds', value: '8' }
        { name: 'Coaching__SnoozeMinutes', value: '120' }
        { name: 'Coaching__AiDetector__Enabled', value: string(aiDetectorEnabled) }
        { name: 'RateLimits__RespondPerMinute', value: '30' }
        { name: 'RateLimits__FeedbackPerMinute', value: '20' }
        { name: 'RateLimits__WelcomePerMinute', value: '30' }
        { name: 'Stats__FlushIntervalSeconds', value: '10' }
        { name: 'Stats__TableName', value: 'CoachStats' }
        // WeCom customer service: off until main.bicep's weCom* parameters are set; the secrets only from secure parameters.
        { name: 'Channels__WeCom__CorpId', value: weComCorpId }
        { name: 'Channels__WeCom__CorpSecret', value: weComCorpSecret }
        { name: 'Channels__WeCom__Token', value: weComToken }
        { name: 'Channels__WeCom__EncodingAESKey', value: weComEncodingAesKey }
        { name: 'Channels__WeCom__ApiBaseUrl', value: 'https://qyapi.weixin.qq.com' }
        { name: 'Channels__WeCom__ContactUrl', value: weComContactUrl }
        { name: 'Channels__WeCom__QuietTime', value: '22:00-08:00' }
        { name: 'Channels__WeCom__DailyLimit', value: '10' }
        { name: 'Channels__WeCom__MiniProgramAppId', value: weComMiniProgramAppId }
        { name: 'Channels__WeCom__MiniProgramPagePath', value: weComMiniProgramPagePath }
        { name: 'Channels__WeCom__MiniProgramThumbMediaId', value: weComMiniProgramThumbMediaId }
        // Push and e-mail providers' webhooks (README, "Channels"): empty URL, channel off. The secret
        // signs them (Standard Webhooks, whsec_...): an HMAC key the providers share, which no managed
        // identity can replace, so it comes in as a secure parameter, never a literal.
        { name: 'Channels__Push__WebhookUrl', value: channelsPushWebhookUrl }
        { name: 'Channels__Email__WebhookUrl', value: channelsEmailWebhookUrl }
        { name: 'Channels__WebhookSecret', value: channelsWebhookSecret }
      ]
    }
  }
  // The host reads its deployment package and storage with these roles from its first start.
  dependsOn: [
    blobOwner
    queueContributor
    tableContributor
    deploymentContainer
  ]
}

// Deployments go through Entra ID (azd, az functionapp deployment): no publishing passwords.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: { allow: false }
}

output functionAppName string = functionApp.name
output apiBaseUrl string = 'https://${functionApp.properties.defaultHostName}'
output webUrl string = webOrigin
output authAuthority string = authAuthority
output signalREndpoint string = 'https://${signalR.properties.hostName}'
output openAiEndpoint string = openAi.properties.endpoint
