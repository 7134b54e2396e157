// CoachFunctions in Azure: a Flex Consumption function app that reaches Storage, SignalR Service,
// Azure OpenAI and Application Insights with one user-assigned managed identity, and the web client
// on Static Web Apps. No resource here accepts a key: shared-key access, SignalR's and Azure
// OpenAI's local auth and Application Insights' instrumentation-key ingestion are all turned off.
//
// Subscription scope, as azd expects: the resource group, then everything in it (resources.bicep).
// Deploy with `azd up`, or `az deployment sub create` (infra/README.md).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd): names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of the resource group and every resource except Static Web Apps (and Azure OpenAI when openAiLocation says so). Must offer Flex Consumption.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Region of the Azure OpenAI account: one where the model below has quota. Empty: location.')
param openAiLocation string = ''

@description('Region of the Static Web App (the service exists in a few regions only).')
@allowed(['centralus', 'eastus2', 'eastasia', 'westeurope', 'westus2'])
param staticWebAppLocation string = 'westeurope'

@description('Memory of each function app instance, in MB.')
@allowed([512, 2048, 4096])
param functionInstanceMemoryMB int = 2048

@description('Most instances the function app scales out to.')
@minValue(1)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('The chat model the coach writes prompts with, and its version.')
param openAiModelName string = 'gpt-4o-mini'
param openAiModelVersion string = '2024-07-18'

@description('Deployment type of the model (GlobalStandard, Standard, DataZoneStandard, ...).')
param openAiDeploymentSkuName string = 'GlobalStandard'

@description('Capacity of the model deployment, in thousands of tokens per minute.')
@minValue(1)
param openAiDeploymentCapacity int = 30

@description('SignalR Service tier and units. Free_F1 holds 20 connections; a Standard_S1 unit holds 1,000.')
@allowed(['Free_F1', 'Standard_S1', 'Premium_P1'])
param signalRSkuName string = 'Standard_S1'
@minValue(1)
param signalRCapacity int = 1

@description('OpenID Connect issuer whose tokens sign users in (Auth__Authority). Empty: this tenant\'s Entra ID v2.0 endpoint.')
param authAuthority string = ''

@minLength(1)
@description('Accepted token audiences (Auth__Audience): the API app registration\'s client id and/or App ID URI, comma-separated.')
param authAudience string

@description('Overrides the issuer in the metadata (Auth__Issuer), e.g. for v1.0 tokens. Empty: the metadata\'s.')
param authIssuer string = ''

@description('The claim that is the user id (Auth__SubjectClaim): sub or oid.')
@allowed(['sub', 'oid'])
param authSubjectClaim string = 'sub'

@description('The app role admin routes need (Auth__AdminRole).')
param authAdminRole string = 'admin'

@description('Six-field NCrontab schedule of the ScanUsers timer (ScanSchedule).')
param scanSchedule string = '0 */5 * * * *'

@description('template, ai or hybrid (Generation__Strategy).')
@allowed(['template', 'ai', 'hybrid'])
param generationStrategy string = 'ai'

@description('The optional AI detector (Coaching__AiDetector__Enabled).')
param aiDetectorEnabled bool = false

// The WeCom customer-service channel (Channels__WeCom__*): off while the corp id and the three secrets are empty.
// The secrets are secure parameters (set with azd env set-secret, or in the portal), never in a file here.
@description('The WeCom corp id (Channels__WeCom__CorpId). Empty: the channel is off.')
param weComCorpId string = ''

@secure()
@description('The 微信客服 secret (Channels__WeCom__CorpSecret).')
param weComCorpSecret string = ''

@secure()
@description('The callback Token (Channels__WeCom__Token).')
param weComToken string = ''

@secure()
@description('The callback EncodingAESKey (Channels__WeCom__EncodingAESKey).')
param weComEncodingAesKey string = ''

@description('The kf account link from kf/add_contact_way, made with a scene (Channels__WeCom__ContactUrl).')
param weComContactUrl string = ''

@description('A mini-program for card messages (Channels__WeCom__MiniProgramAppId); with the thumb media id, prompts go out as cards.')
param weComMiniProgramAppId string = ''

@description('The card\'s page (Channels__WeCom__MiniProgramPagePath).')
param weComMiniProgramPagePath string = ''

@description('The card\'s thumbnail, an uploaded media id (Channels__WeCom__MiniProgramThumbMediaId).')
param weComMiniProgramThumbMediaId string = ''
@description('The push provider\'s webhook (Channels__Push__WebhookUrl): absolute https URL. Empty: no push channel.')
param channelsPushWebhookUrl string = ''

@description('The e-mail provider\'s webhook, for prompts and the daily digest (Channels__Email__WebhookUrl). Empty: no e-mail channel.')
param channelsEmailWebhookUrl string = ''

@secure()
@description('Signs the channel webhooks (Channels__WebhookSecret): whsec_ + base64 of 24 to 64 random bytes. Required once a webhook URL is set.')
param channelsWebhookSecret string = ''

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'resources.bicep' = {
  name: 'coachfunctions-${resourceToken}'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    openAiLocation: empty(openAiLocation) ? location : openAiLocation
    staticWebAppLocation: staticWebAppLocation
    functionInstanceMemoryMB: functionInstanceMemoryMB
    functionMaximumInstanceCount: functionMaximumInstanceCount
    openAiModelName: openAiModelName
    openAiModelVersion: openAiModelVersion
    openAiDeploymentSkuName: openAiDeploymentSkuName
    openAiDeploymentCapacity: openAiDeploymentCapacity
    signalRSkuName: signalRSkuName
    signalRCapacity: signalRCapacity
    authAuthority: empty(authAuthority) ? '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0' : authAuthority
    authAudience: authAudience
    authIssuer: authIssuer
    authSubjectClaim: authSubjectClaim
    authAdminRole: authAdminRole
    scanSchedule: scanSchedule
    generationStrategy: generationStrategy
    aiDetectorEnabled: aiDetectorEnabled
    weComCorpId: weComCorpId
    weComCorpSecret: weComCorpSecret
    weComToken: weComToken
    weComEncodingAesKey: weComEncodingAesKey
    weComContactUrl: weComContactUrl
    weComMiniProgramAppId: weComMiniProgramAppId
    weComMiniProgramPagePath: weComMiniProgramPagePath
    weComMiniProgramThumbMediaId: weComMiniProgramThumbMediaId
    channelsPushWebhookUrl: channelsPushWebhookUrl
    channelsEmailWebhookUrl: channelsEmailWebhookUrl
    channelsWebhookSecret: channelsWebhookSecret
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.functionAppName
output API_BASE_URL string = app.outputs.apiBaseUrl
output WEB_URL string = app.outputs.webUrl
output AUTH_AUTHORITY string = app.outputs.authAuthority
output SIGNALR_ENDPOINT string = app.outputs.signalREndpoint
output OPENAI_ENDPOINT string = app.outputs.openAiEndpoint
