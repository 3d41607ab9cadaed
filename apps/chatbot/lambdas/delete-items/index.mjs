// Delete: removes every call log entry of a user.
//
// Event (the request body): {"userId": "..."}
// Result: {"statusCode": 200, "msg": "<number of entries deleted>"}
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.tableName;
const BATCH = 25;

export const handler = async (event) => {
  const userId = event?.userId;
  if (!userId) {
    return { statusCode: 400, msg: "userId is required" };
  }
  let deleted = 0;
  let startKey;
  try {
    do {
      const page = await db.send(new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "user_id = :user_id",
        ExpressionAttributeValues: { ":user_id": String(userId) },
        ProjectionExpression: "user_id, request_time",
        ExclusiveStartKey: startKey,
      }));
      const keys = page.Items ?? [];
      for (let i = 0; i < keys.length; i += BATCH) {
        let requests = keys.slice(i, i + BATCH).map((key) => ({ DeleteRequest: { Key: key } }));
        while (requests.length > 0) {
          const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
          requests = result.UnprocessedItems?.[tableName] ?? [];
        }
      }
      deleted += keys.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } catch (error) {
    console.error("delete failed", error);
    return { statusCode: 500, msg: "delete failed" };
  }
  return { statusCode: 200, msg: String(deleted) };
};
