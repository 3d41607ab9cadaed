// Query: the call log entry of one request, found through the `request_id` index.
//
// Event (the request body): {"request_id": "..."}
// Result: {"statusCode": 200, "msg": "<the answer>"} or 404 when there is none yet.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.tableName;
const indexName = process.env.indexName;

export const handler = async (event) => {
  const requestId = event?.request_id;
  if (!requestId) {
    return { statusCode: 400, msg: "request_id is required" };
  }
  try {
    const result = await db.send(new QueryCommand({
      TableName: tableName,
      IndexName: indexName,
      KeyConditionExpression: "request_id = :request_id",
      ExpressionAttributeValues: { ":request_id": String(requestId) },
      Limit: 1,
    }));
    const item = result.Items?.[0];
    if (!item) {
      return { statusCode: 404, msg: "" };
    }
    return { statusCode: 200, msg: item.msg ?? item.body ?? "" };
  } catch (error) {
    console.error("query failed", error);
    return { statusCode: 500, msg: "query failed" };
  }
};
